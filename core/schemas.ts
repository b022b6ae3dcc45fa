import { z } from 'zod';
import {
  CHANNELS,
  ERROR_CLASSES,
  FINAL_STATE_NAMES,
  HEALTH_LEVELS,
  LANGUAGE_CHOICES,
  PROFILE_CHOICES,
  PROVIDER_LEVELS,
  REPLY_STATES,
  TICKET_CHANNELS,
} from './vocabulary';

// A schema of each list in core/vocabulary.ts, with the type of the same name. The helpdesk tab imports
// only the types from here (`import type`), so zod stays out of its bundle.

export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;
export const TicketChannel = z.enum(TICKET_CHANNELS);
export type TicketChannel = z.infer<typeof TicketChannel>;
export const ErrorClass = z.enum(ERROR_CLASSES);
export type ErrorClass = z.infer<typeof ErrorClass>;
export const ReplyState = z.enum(REPLY_STATES);
export type ReplyState = z.infer<typeof ReplyState>;
export const FinalState = z.enum(FINAL_STATE_NAMES);
export type FinalState = z.infer<typeof FinalState>;
export const HealthLevel = z.enum(HEALTH_LEVELS);
export type HealthLevel = z.infer<typeof HealthLevel>;
export const ProviderLevel = z.enum(PROVIDER_LEVELS);
export type ProviderLevel = z.infer<typeof ProviderLevel>;
export const ProfileChoice = z.enum(PROFILE_CHOICES);
export type ProfileChoice = z.infer<typeof ProfileChoice>;
export const LanguageChoice = z.enum(LANGUAGE_CHOICES);
export type LanguageChoice = z.infer<typeof LanguageChoice>;
