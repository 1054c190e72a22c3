import Joi from 'joi';
import { ROLES } from '../context';
import { defineEntity } from '../schema/entity';
import { f } from '../schema/fields';

export const PASSWORD_RULE = Joi.string().min(8).max(128);

export const User = defineEntity({
  name: 'User',
  table: 'users',
  path: 'users',
  description: 'People who sign in: their role decides what they may see and change.',
  fields: {
    email: f.email().required().unique('global').searchable(),
    password_hash: f.string(100).hidden(),
    first_name: f.string(100).searchable(),
    last_name: f.string(100).searchable(),
    role: f.enum(ROLES).default('sales_rep').index(),
    manager_id: f.ref('User').index(),
    is_active: f.boolean().default(true),
    title: f.string(100),
    department: f.string(100),
    phone: f.phone(),
    avatar_url: f.url(),
    timezone: f.string(64).default('UTC'),
    last_login_at: f.timestamp().readOnly(),
    email_verified_at: f.timestamp().readOnly(),
    /** Access tokens issued before this moment are refused (set on password change, reset, sign-out everywhere). */
    tokens_valid_after: f.timestamp().hidden(),
  },
  owner: ['id'],
  defaultSort: 'last_name',
  inputs: { password: PASSWORD_RULE },
  policy: {
    admin: { read: 'all', create: true, update: 'all', delete: 'all' },
    manager: { read: 'all' },
    sales_rep: { read: 'all' },
    support: { read: 'all' },
  },
  hooks: {
    async beforeWrite(values, { hashSecret }) {
      const { password, ...rest } = values;
      return typeof password === 'string' ? { ...rest, password_hash: await hashSecret(password) } : rest;
    },
  },
});
