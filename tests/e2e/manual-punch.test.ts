/**
 * "Clock without face" end to end: the real main-side services behind the dev/test bridge, the
 * built renderer in Debian's Chromium, a real face photo as the camera and the HotelMate double.
 * Someone the kiosk does not know is not recognised -> "Clock without face" -> finds her name with
 * the on-screen keyboard -> Clock In -> the manager approves with the PIN on the on-screen pad ->
 * done, with the offer to enrol her; the ledger row says manual with the approver. axe finds no
 * violation on the new screens; screenshots go to test-artifacts/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { facePhotos, makeFaceVideo, makeSolidImage } from '../support/media/face-video';
import { axeViolations } from './support/axe';
import { type KioskHarness, startKioskHarness } from './support/kiosk-harness';

const PIN = '246813';
let world: DemoWorld;
let kiosk: KioskHarness;

const screenIs = (name: string, timeout = 30_000): Promise<unknown> =>
  kiosk.page.waitForFunction((n) => document.body.dataset.screen === n, name, { timeout });

/** Presses keys of the on-screen keyboard by their labels (letters in either case). */
async function pressKeys(keys: string): Promise<void> {
  for (const key of keys) {
    await kiosk.page
      .getByTestId('keyboard')
      .getByRole('button', { name: new RegExp(`^${key}$`, 'i') })
      .first()
      .click();
  }
}

async function checkScreen(name: string): Promise<void> {
  await kiosk.screenshot(`screens/e2e-manual-${name}-1920x1080`);
  expect(await axeViolations(kiosk.page), `axe on ${name}`).toEqual([]);
}

beforeAll(async () => {
  world = await startDemoWorld();
  const emptyCamera = await makeSolidImage({ size: { width: 640, height: 480 }, color: [40, 44, 52] });
  kiosk = await startKioskHarness({ cameraFile: emptyCamera, config: world.kioskConfig(), token: world.token, pin: PIN });
  await world.enrol(kiosk.app);
  await screenIs('idle');
  await kiosk.page.waitForFunction(() => document.body.innerText.includes('Online'), undefined, { timeout: 30_000 });
}, 240_000);

afterAll(async () => {
  await kiosk?.close();
  await world?.close();
});

describe('clock without face in Chromium against the real services', () => {
  it('not recognised -> Clock without face -> name with the on-screen keyboard -> manager PIN -> done; the ledger says manual with the approver', async () => {
    const lucia = world.people.find((p) => p.identity === 'person-e');
    if (!lucia) throw new Error('no demo person person-e');
    const photo = facePhotos({ identity: 'person-e' })[0];
    if (!photo) throw new Error('no shared photo of person-e (is /work/shared/data/faces there?)');
    await kiosk.app.camera.setDevice(`file:${await makeFaceVideo({ photos: [photo], secondsEach: 4, fps: 15 })}`);
    await screenIs('unknown', 60_000);

    await kiosk.page.getByTestId('clock-without-face').click();
    await screenIs('manual');
    await kiosk.page.getByLabel('Your name').click();
    await pressKeys('luc');
    const list = kiosk.page.getByTestId('manual-people');
    await expect.poll(() => list.getByRole('button').allInnerTexts()).toEqual([expect.stringContaining('Lucía García')]);
    await checkScreen('01-pick-name');
    await list.getByRole('button', { name: /Lucía García/ }).click();

    await kiosk.page.getByTestId('manual-action-clock_in').waitFor();
    expect(await kiosk.page.getByTestId('manual-status').innerText()).toBe('Off duty');
    await checkScreen('02-action');
    await kiosk.page.getByTestId('manual-action-clock_in').click();

    await kiosk.page.getByLabel('Why the face could not be used').click();
    await pressKeys('new');
    await checkScreen('03-note');
    await kiosk.page.getByRole('button', { name: 'Next', exact: true }).last().click();

    await kiosk.page.getByText('Clock In for Lucía García').waitFor();
    // A wrong PIN first: refused, nothing written.
    await pressKeys('111111');
    await kiosk.page.getByRole('button', { name: 'Approve' }).click();
    await kiosk.page.getByTestId('pin-message').waitFor();
    expect(kiosk.app.services.clockService()?.ledger({ limit: 50 }).filter((r) => r.staffId === lucia.staffId)).toEqual([]);
    await checkScreen('04-approve');
    await pressKeys(PIN);
    await kiosk.page.getByRole('button', { name: 'Approve' }).click();

    await screenIs('manual');
    await kiosk.page.getByTestId('confirmed').waitFor();
    expect(await kiosk.page.getByTestId('confirmed').innerText()).toMatch(/Clocked in at/);
    await kiosk.page.getByTestId('manual-enrol-offer').waitFor();
    await checkScreen('05-done-enrol-offer');

    const rows = kiosk.app.services.clockService()?.ledger({ limit: 50 }).filter((r) => r.staffId === lucia.staffId) ?? [];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'clock_in', manual: { approver: 'manager_pin', note: 'new' } });

    // "Enrol now" opens her enrolment (consent first) in the manager area, behind the same approval.
    await kiosk.page.getByRole('button', { name: 'Enrol now' }).click();
    await screenIs('admin');
    await kiosk.page.getByTestId('consent').waitFor();
    expect(await kiosk.page.getByTestId('consent').innerText()).toContain('Lucía García');
    // The ledger tab shows the row as manual, with the approver and the note.
    await kiosk.page.getByRole('tab', { name: /Punches/ }).click();
    await kiosk.page.getByTestId('ledger-manual').first().waitFor();
    expect(await kiosk.page.getByTestId('ledger-manual').first().innerText()).toBe('Manual: approved with the manager PIN · Manager’s note: new');
  });
});
