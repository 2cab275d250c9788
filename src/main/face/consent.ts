/**
 * The consent a person gives before enrolment, one text per language: the screen shows the text
 * main gives it (`enrol:consent`), the renderer sends back its language and hash, and exactly that
 * text is recorded with the person's templates (`face_consents`), with its language, version and
 * SHA-256, so a manager can always show what was agreed to. The wording states what the kiosk
 * really does: a photo and a template go to HotelMate, the template stays here encrypted, and it
 * is deleted on request or when HotelMate marks the person as having left (src/main/privacy/leavers.ts).
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ConsentText } from '../../shared/domain/enrolment';
import { LANGUAGES, type Language } from '../../shared/domain/types';

/**
 * Raised whenever any language's wording changes. Version 1 was an English-only text that did not
 * mention the photo sent to HotelMate or the deletion when a person leaves.
 */
export const CONSENT_VERSION = 2;

const TEXTS: Readonly<Record<Language, string>> = {
  en:
    'This kiosk takes a photo of your face and turns it into a mathematical template (a list of numbers). ' +
    "The template is kept on this kiosk, encrypted, and the photo and the template are sent to HotelMate, your employer's staff system. " +
    'They are used only to recognise you when you clock in or out or take a break. ' +
    'You can ask a manager to remove your face at any time. ' +
    'When you leave and HotelMate marks you as no longer working here, this kiosk deletes your template by itself. ' +
    'In both cases HotelMate is told at once to stop using your face; how long HotelMate keeps its copy is set by your employer.',
  pl:
    'Ten kiosk robi zdjęcie twojej twarzy i zamienia je w matematyczny wzorzec (ciąg liczb). ' +
    'Wzorzec jest przechowywany w tym kiosku w postaci zaszyfrowanej, a zdjęcie i wzorzec są wysyłane do HotelMate, systemu kadrowego twojego pracodawcy. ' +
    'Służą wyłącznie do rozpoznawania cię przy rozpoczynaniu i kończeniu pracy oraz przerwy. ' +
    'W każdej chwili możesz poprosić kierownika o usunięcie twojej twarzy. ' +
    'Gdy odejdziesz z pracy i HotelMate oznaczy cię jako osobę, która już tu nie pracuje, kiosk sam usunie twój wzorzec. ' +
    'W obu przypadkach HotelMate od razu otrzymuje polecenie, aby przestać używać twojej twarzy; jak długo HotelMate przechowuje swoją kopię, ustala twój pracodawca.',
  es:
    'Este quiosco toma una foto de su cara y la convierte en una plantilla matemática (una lista de números). ' +
    'La plantilla se guarda cifrada en este quiosco, y la foto y la plantilla se envían a HotelMate, el sistema de personal de su empresa. ' +
    'Solo se usan para reconocerle al fichar la entrada, la salida y las pausas. ' +
    'Puede pedir a un encargado que elimine su cara en cualquier momento. ' +
    'Cuando deje la empresa y HotelMate le dé de baja, este quiosco borrará su plantilla por sí solo. ' +
    'En ambos casos se indica a HotelMate de inmediato que deje de usar su cara; el tiempo que HotelMate conserva su copia lo decide su empresa.',
};

/** SHA-256 (hex) of a text in its language. */
export function consentHash(language: Language, text: string): string {
  return crypto.createHash('sha256').update(`${language}\n${text}`, 'utf8').digest('hex');
}

/** The current consent text in `language`, with its version and hash. */
export function consentText(language: Language): ConsentText {
  const text = TEXTS[language];
  return { language, version: CONSENT_VERSION, hash: consentHash(language, text), text };
}

/** Every language's current text (tests, docs). */
export function allConsentTexts(): ConsentText[] {
  return LANGUAGES.map(consentText);
}

/**
 * The consent the screen showed, if it is the current text: the renderer names it by language and
 * hash, and only a text main itself holds is ever recorded. Null when the text changed since.
 */
export function shownConsent(language: Language, hash: string): ConsentText | null {
  const current = consentText(language);
  return current.hash === hash ? current : null;
}

const storedSchema = z.object({
  consent: z.literal('hotelmate-kiosk'),
  version: z.number().int().positive(),
  language: z.enum(['en', 'pl', 'es']),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  text: z.string().min(1),
});

/** The record stored in `face_consents.consent_text`: the text word for word, with its language, version and hash. */
export function consentRecord(consent: ConsentText): string {
  return JSON.stringify({ consent: 'hotelmate-kiosk', version: consent.version, language: consent.language, sha256: consent.hash, text: consent.text });
}

/**
 * Reads a stored consent back: a versioned record, or (from before versions) the plain English text
 * with no language or version. A record whose hash does not match its text is reported as altered.
 */
export function readConsentRecord(stored: string): { text: string; language: Language | null; version: number | null; intact: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { text: stored, language: null, version: null, intact: true };
  }
  const record = storedSchema.safeParse(parsed);
  if (!record.success) return { text: stored, language: null, version: null, intact: true };
  const { language, version, sha256, text } = record.data;
  return { text, language, version, intact: consentHash(language, text) === sha256 };
}
