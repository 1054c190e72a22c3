import Joi from 'joi';
import common from './common-passwords.json';

/**
 * The 5,000 most common passwords of 8 or more characters, lowercased: the head of the frequency list that
 * ships with zxcvbn (MIT, Dropbox), itself drawn from leaked password dumps. Shorter ones fail the length rule.
 */
const COMMON = new Set<string>(common);

export const isCommonPassword = (password: string): boolean => COMMON.has(password.toLowerCase());

/** Every password a person chooses: 8 to 128 characters and not one of the most common ones. */
export const passwordRule = Joi.string()
  .min(8)
  .max(128)
  .custom((value: string, helpers) => (isCommonPassword(value) ? helpers.error('password.common') : value))
  .messages({ 'password.common': '{{#label}} is one of the most common passwords: choose another' });
