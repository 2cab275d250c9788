/**
 * The one place where every request handler and state reader of the contract is registered: the
 * domain modules beside this file each provide their channels as plain functions over the
 * dependencies they declare, and the compiler checks here that no channel is left without one.
 */
import type { RequestHandlers } from '../../shared/ipc/contract';
import { type AdminHandlerDeps, adminHandlers } from './admin-handlers';
import { type AppHandlerDeps, appHandlers } from './app-handlers';
import { type CameraHandlerDeps, cameraHandlers } from './camera-handlers';
import { type ClockHandlerDeps, clockHandlers } from './clock-handlers';
import { type DiagnosticsHandlerDeps, diagnosticsHandlers } from './diagnostics-handlers';
import { type EnrolmentHandlerDeps, enrolmentHandlers } from './enrolment-handlers';
import { type FaceHandlerDeps, faceHandlers } from './face-handlers';
import { type ManualPunchHandlerDeps, manualPunchHandlers } from './manual-punch-handlers';
import { type QueueHandlerDeps, queueHandlers } from './queue-handlers';
import { type SetupHandlerDeps, setupHandlers } from './setup-handlers';
import { type SetupWizardHandlerDeps, setupWizardHandlers } from './setup-wizard-handlers';

/** Everything the handlers need, by the names each domain module declares. */
export type KioskHandlerDeps = AppHandlerDeps &
  CameraHandlerDeps &
  FaceHandlerDeps &
  ClockHandlerDeps &
  ManualPunchHandlerDeps &
  EnrolmentHandlerDeps &
  AdminHandlerDeps &
  SetupHandlerDeps &
  SetupWizardHandlerDeps &
  DiagnosticsHandlerDeps &
  QueueHandlerDeps;

/** Builds the handler of every request channel and the reader of every state channel. */
export function createRequestHandlers(deps: KioskHandlerDeps): RequestHandlers {
  return {
    ...appHandlers(deps),
    ...cameraHandlers(deps),
    ...faceHandlers(deps),
    ...clockHandlers(deps),
    ...manualPunchHandlers(deps),
    ...enrolmentHandlers(deps),
    ...adminHandlers(deps),
    ...setupHandlers(deps),
    ...setupWizardHandlers(deps),
    ...diagnosticsHandlers(deps),
    ...queueHandlers(deps),
  };
}
