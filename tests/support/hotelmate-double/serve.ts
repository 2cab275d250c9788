/**
 * Runs the HotelMate double as a stand-alone server for the demo and manual testing:
 * `npx tsx tests/support/hotelmate-double/serve.ts [--port 8765] [--db file.sqlite]`.
 * Seeds the transcript's hotel-killarney (unless the database file already holds data) and prints
 * the API base URL and the kiosk account's credentials. Stops on SIGINT/SIGTERM.
 */
import { createHotelMateDouble } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = arg('port') ? Number(arg('port')) : 8765;
  const double = await createHotelMateDouble({
    port,
    dbFile: arg('db'),
    onPusherEvent: (channel, event) => process.stdout.write(`pusher ${channel} ${event}\n`),
  });
  const hasData = (double.db.prepare('SELECT COUNT(*) AS n FROM hotels').get() as { n: number }).n > 0;
  if (!hasData) {
    const world = double.seed.killarney();
    process.stdout.write(
      `HotelMate double on ${double.apiBaseUrl}\n  hotel: ${world.hotelSlug}\n  kiosk account: ${world.manager.username} / ${world.manager.password}\n`,
    );
  } else {
    process.stdout.write(`HotelMate double on ${double.apiBaseUrl} (existing database)\n`);
  }
  const stop = (): void => {
    void double.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
