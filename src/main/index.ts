/**
 * Electron entry and composition root, kept thin: resolve paths and provisioning, build the kiosk
 * (createKioskApp, plain Node), then do only what needs Electron: hardening, the kiosk window, IPC,
 * self-healing, display-sleep prevention, and the optional dev/test bridge. Every start-up failure
 * ends on the problem screen (./app/startup-failure.ts), never on a missing window or a silent exit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BrowserWindow, app } from 'electron';
import { createKioskApp, type KioskApp } from './app/create-kiosk-app';
import { createStartupFailureRouter } from './app/startup-failure';
import { startBridgeServer } from './bridge/bridge-server';
import { createEventHub } from './channels/event-hub';
import { registerElectronIpc } from './ipc/electron-ipc';
import { type Logger, type LogSink, createConsoleSink, createLogger, createRotatingFileSink, toLogFormat } from './logging/logger';
import { type AppPaths, createAppPaths } from './platform/paths';
import { installProcessGuards } from './platform/process-guards';
import { defaultDiagnosticsFile, parseCliArgs, resolveProvisioning } from './platform/cli-args';
import { createRelaunchPolicy, loadRelaunchState } from './platform/relaunch-policy';
import { completePendingForget } from './privacy/forget-kiosk';
import { systemClock } from './lib/clock';
import { setAutostart } from './shell/autostart';
import { applyHardening, enableSandboxEarly } from './shell/hardening';
import { isTrustedRendererUrl } from './shell/policy';
import { preventDisplaySleep } from './shell/power';
import { createSafeStorageCipher } from './shell/safe-storage-cipher';
import { createSelfHealing } from './shell/self-heal';
import { acquireSingleInstance } from './shell/single-instance';
import { createKioskWindow } from './window';

const bootLog = createLogger({ sinks: [createConsoleSink('info')], name: 'boot' });
const cli = parseCliArgs(process.argv.slice(1));
for (const problem of cli.errors) bootLog.warn('command-line problem', { problem });

enableSandboxEarly();
let window: BrowserWindow | null = null;
let kiosk: KioskApp | null = null;
let allowClose = false;

if (!cli.diagnostics && !acquireSingleInstance(() => window)) {
  app.quit();
} else {
  app.whenReady().then(
    () =>
      main().catch((error: unknown) => {
        bootLog.error('the kiosk failed to start', { error: toLogFormat(error) });
        // A late step (autostart, the bridge) failing leaves a running kiosk as it is; otherwise the problem screen.
        if (!(kiosk && window)) showStartupFailure(error);
        else kiosk.reportInternalError('uncaught-exception', error);
      }),
    (error: unknown) => {
      bootLog.error('Electron failed to start', { error: toLogFormat(error) });
      app.exit(1);
    },
  );
}

function appPaths(): AppPaths {
  return createAppPaths({
    isPackaged: app.isPackaged,
    appRoot: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    platform: process.platform,
    electronAbi: process.versions.modules,
    exeDir: path.dirname(app.getPath('exe')),
  });
}

function electronVersions(): Record<string, string> {
  return { app: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node };
}

/**
 * The kiosk could not be built: serve the start-up problem screen in the kiosk window (the reason,
 * for staff and support) and keep running, so the kiosk never just vanishes. Logs to the data
 * folder when it can still be written.
 */
function showStartupFailure(error: unknown, dataDir?: string): void {
  const sinks: LogSink[] = [createConsoleSink('info')];
  if (dataDir) {
    try {
      sinks.push(createRotatingFileSink({ dir: path.join(dataDir, 'logs') }));
    } catch {
      // The data folder is what failed; the console has it.
    }
  }
  const logger: Logger = createLogger({ sinks, name: 'kiosk' });
  try {
    const paths = appPaths();
    const production = app.isPackaged;
    const devServerUrl = production ? undefined : process.env.ELECTRON_RENDERER_URL;
    const isTrustedUrl = (url: string): boolean => isTrustedRendererUrl(url, { rendererIndexHtml: paths.rendererIndexHtml, devServerUrl });
    applyHardening({ logger, isTrustedUrl, cspHeader: !devServerUrl });
    const router = createStartupFailureRouter(error, logger, electronVersions());
    registerElectronIpc({ router, events: createEventHub(logger), logger, window: () => window, isTrustedUrl });
    window = createKioskWindow({ paths, logger, production, devServerUrl, canClose: () => allowClose });
    app.on('window-all-closed', () => app.quit());
  } catch (screenError) {
    logger.error('the start-up problem screen could not be shown either', { error: toLogFormat(screenError) });
    app.exit(1);
  }
}

async function main(): Promise<void> {
  const paths = appPaths();
  const provisioning = resolveProvisioning({
    cli,
    defaultDataDir: app.getPath('userData'),
    exeConfigFile: paths.exeConfigFile,
    env: process.env,
    fileExists: (file) => fs.existsSync(file),
  });
  const production = app.isPackaged;
  const devServerUrl = production ? undefined : process.env.ELECTRON_RENDERER_URL;
  const isTrustedUrl = (url: string): boolean => isTrustedRendererUrl(url, { rendererIndexHtml: paths.rendererIndexHtml, devServerUrl });
  const binding = paths.betterSqliteBinding && fs.existsSync(paths.betterSqliteBinding) ? paths.betterSqliteBinding : undefined;
  if (!binding) bootLog.warn('no better-sqlite3 build for Electron found; run `npm start` (it builds one) or `npm run dist`', { expected: paths.betterSqliteBinding });

  // A "forget this kiosk" interrupted by a locked file (Windows) is finished before anything opens.
  await completePendingForget({ dataDir: provisioning.dataDir, logger: bootLog });

  let selfHealing: ReturnType<typeof createSelfHealing> | null = null;
  try {
    kiosk = await createKioskApp({
      dataDir: provisioning.dataDir,
      configFile: provisioning.configFile,
      env: process.env,
      cipher: createSafeStorageCipher(),
      modelsDir: paths.modelsDir,
      ffmpegPath: paths.ffmpegBinary,
      nativeBinding: binding,
      faceWorkerFile: paths.faceWorker,
      versions: electronVersions(),
      consoleLogLevel: production ? null : 'info',
      health: () => ({ rendererRestarts: selfHealing?.stats().total ?? 0 }),
      restoreBackup: cli.restoreBackup,
      exit: () => {
        allowClose = true;
        app.quit();
      },
      relaunch: () => {
        allowClose = true;
        app.relaunch();
        app.quit();
      },
    });
  } catch (error) {
    showStartupFailure(error, provisioning.dataDir);
    return;
  }
  const logger = kiosk.logger;
  for (const note of provisioning.notes) logger.info('provisioning', { note });
  const policy = createRelaunchPolicy({ clock: systemClock, state: loadRelaunchState(path.join(provisioning.dataDir, 'relaunch-state.json')) });
  const healing = createSelfHealing({
    policy,
    logger,
    stateFile: path.join(provisioning.dataDir, 'relaunch-state.json'),
    recreateWindow: () => openWindow(),
  });
  selfHealing = healing;

  if (cli.diagnostics) {
    const outFile = cli.diagnostics.outFile ?? defaultDiagnosticsFile(process.cwd(), kiosk.config.get().kiosk.id, new Date());
    const dir = path.dirname(outFile);
    try {
      const written = await kiosk.handlers['diagnostics:export'](dir);
      bootLog.info('diagnostics bundle written', { result: written });
      app.exit(written.ok ? 0 : 1);
    } catch (error) {
      bootLog.error('diagnostics bundle failed', { error: toLogFormat(error) });
      app.exit(1);
    }
    return;
  }

  applyHardening({ logger, isTrustedUrl, cspHeader: !devServerUrl });
  // Self-healing logs an uncaught error and relaunches (paced); the guards add the notice on screen.
  healing.installMainProcessHandlers();
  const reportError = kiosk.reportInternalError;
  installProcessGuards({ logger, log: false, onError: (kind, error) => reportError(kind, error) });
  registerElectronIpc({ router: kiosk.router, events: kiosk.events, logger, window: () => window, isTrustedUrl });
  const allowSleep = preventDisplaySleep(logger);

  function openWindow(): void {
    window = createKioskWindow({ paths, logger, production, devServerUrl, canClose: () => allowClose });
    healing.watch(window);
    window.on('closed', () => {
      window = null;
    });
  }
  openWindow();

  if (cli.enableDevBridge || kiosk.config.get().devBridge.enabled) {
    try {
      const bridge = await startBridgeServer({
        router: kiosk.router,
        events: kiosk.events,
        logger,
        rendererDir: path.dirname(paths.rendererIndexHtml),
        port: kiosk.config.get().devBridge.port,
      });
      logger.warn('dev/test bridge enabled on loopback', { url: bridge.url });
      app.on('will-quit', () => void bridge.close());
    } catch (error) {
      // A support tool that cannot start (port taken) must not keep the kiosk from running.
      logger.error('the dev/test bridge could not start', { error: toLogFormat(error) });
    }
  }

  await kiosk.start();
  if (production) setAutostart(true, { paths, logger, args: cli.dataDir ? [`--data-dir=${provisioning.dataDir}`] : [] });

  app.on('before-quit', (event) => {
    if (!kiosk) return;
    event.preventDefault();
    const stopping = kiosk;
    kiosk = null;
    allowSleep();
    stopping
      .stop()
      .catch((error: unknown) => logger.error('shutdown failed', { error: toLogFormat(error) }))
      .finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => {
    if (allowClose) app.quit();
  });
}
