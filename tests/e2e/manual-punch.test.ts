/**
 * "Clock without face" end to end: the real main-side services behind the dev/test bridge, the
 * built renderer in Debian's Chromium, a real face photo as the camera and the HotelMate double.
 * Someone the kiosk does not know is not recognised -> "Clock without face" -> finds her name with
 * the on-screen keyboard -> Clock In -> the manager approves with the PIN on the on-screen pad ->
 * done, with the offer to enrol her; the ledger row says manual with the approver. With liveness
 * off (the demo's still photos), a manager's face is not offered as an approver: the screen asks for
 * the PIN (the live manager's face approving is tests/e2e/liveness.test.ts); the person clocked
 * cannot approve their own punch. axe finds no violation on the new screens; screenshots go to
 * test-artifacts/screens/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoWorld, startDemoWorld } from '../support/demo-world';
import { axeViolations } from './support/axe';
import { startEnrolledKiosk } from './support/enrolled-kiosk';
import type { KioskHarness } from './support/kiosk-harness';
import { walkUp } from './support/walk-up';

const PIN = '246813';
let world: DemoWorld;
let kiosk: KioskHarness;
/** A camera picture with nobody in it. */
let emptyCamera = '';

const { screenIs, showFace, leaveCamera, walkAway } = walkUp(
  () => kiosk,
  () => emptyCamera,
);

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

/**
 * A stranger is not recognised -> "Clock without face" -> the name typed on the on-screen keyboard
 * and picked -> the action the status offers first -> no note -> the approval step.
 */
async function toApprovalStep(stranger: string, typed: string, name: string): Promise<void> {
  await showFace(stranger);
  await screenIs('unknown', 60_000);
  await kiosk.page.getByTestId('clock-without-face').click();
  await screenIs('manual');
  await kiosk.page.getByLabel('Your name').click();
  await pressKeys(typed);
  await kiosk.page.getByTestId('manual-people').getByRole('button', { name: new RegExp(name) }).click();
  await kiosk.page.getByTestId('manual-action-clock_in').click();
  await kiosk.page.getByRole('button', { name: 'Next', exact: true }).last().click();
  await kiosk.page.getByText(`Clock In for ${name}`).waitFor();
  expect(await kiosk.page.getByTestId('manual-face-approval').innerText()).toContain('Or a manager can look at the camera');
}

async function checkScreen(name: string): Promise<void> {
  await kiosk.screenshot(`screens/e2e-manual-${name}-1920x1080`);
  expect(await axeViolations(kiosk.page), `axe on ${name}`).toEqual([]);
}

beforeAll(async () => {
  world = await startDemoWorld();
  ({ kiosk, emptyCamera } = await startEnrolledKiosk(world, { pin: PIN }));
}, 240_000);

afterAll(async () => {
  await kiosk?.close();
  await world?.close();
});

describe('clock without face in Chromium against the real services', () => {
  it('not recognised -> Clock without face -> name with the on-screen keyboard -> manager PIN -> done; the ledger says manual with the approver', async () => {
    const lucia = world.person('person-e');
    await showFace('person-e');
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
    expect(kiosk.ledgerOf(lucia.staffId)).toEqual([]);
    await checkScreen('04-approve');
    await pressKeys(PIN);
    await kiosk.page.getByRole('button', { name: 'Approve' }).click();

    await screenIs('manual');
    await kiosk.page.getByTestId('confirmed').waitFor();
    expect(await kiosk.page.getByTestId('confirmed').innerText()).toMatch(/Clocked in at/);
    await kiosk.page.getByTestId('manual-enrol-offer').waitFor();
    await checkScreen('05-done-enrol-offer');

    const rows = kiosk.ledgerOf(lucia.staffId);
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

  it('with liveness off (the demo), a manager looking at the camera is not offered: the screen asks for the manager PIN', async () => {
    // Back from the manager area the first test left open, with nobody in front of the camera.
    await leaveCamera();
    await kiosk.page.getByRole('button', { name: 'Lock and return' }).click();
    await screenIs('idle');
    const sean = world.person('person-f');
    // Seán, who has no face on the kiosk, is not recognised.
    await toApprovalStep('person-f', 'sea', 'Seán Kelly');
    expect(await kiosk.page.getByTestId('manual-approve-as').count()).toBe(0);

    // Niamh, the duty manager, steps in front of the camera: recognised, but nothing proves she is live.
    await showFace('person-c');
    const refused = kiosk.page.getByTestId('manual-approver-refused');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.innerText()).toBe('The camera could not confirm a live face. Please use the manager PIN.');
    expect(await kiosk.page.getByTestId('manual-approve-as').count()).toBe(0);
    await checkScreen('06-manager-face-needs-liveness');
    expect(kiosk.ledgerOf(sean.staffId)).toEqual([]);
    await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
    await walkAway();
    expect(kiosk.ledgerOf(sean.staffId)).toEqual([]);
  });

  it('the person being clocked cannot approve their own punch with their face', async () => {
    const niamh = world.person('person-c');
    await toApprovalStep('person-e', 'nia', 'Niamh Byrne');
    await showFace('person-c');
    const refused = kiosk.page.getByTestId('manual-approver-refused');
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.innerText()).toBe('Niamh Byrne, you cannot approve your own punch. Another manager must approve it.');
    expect(await kiosk.page.getByTestId('manual-approve-as').count()).toBe(0);
    await checkScreen('08-own-punch-refused');
    expect(kiosk.ledgerOf(niamh.staffId)).toEqual([]);
    // Cancel leaves the flow (Niamh, still in view, may then be greeted for a punch of her own).
    await kiosk.page.getByRole('button', { name: 'Cancel' }).click();
    await kiosk.page.waitForFunction(() => document.body.dataset.screen !== 'manual', undefined, { timeout: 10_000 });
    expect(kiosk.ledgerOf(niamh.staffId)).toEqual([]);
  });
});
