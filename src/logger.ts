import fs from 'node:fs';
import path from 'node:path';
import winston from 'winston';
import type { Config } from './config';

export type Logger = winston.Logger;

/** JSON lines in production (for CloudWatch and friends), readable lines on a terminal. */
export function createLogger(log: Config['log']): Logger {
  const pretty = winston.format.combine(
    winston.format.colorize(),
    winston.format.timestamp({ format: 'HH:mm:ss' }),
    winston.format.printf(({ level, message, timestamp, ...meta }) => {
      const rest = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
      return `${String(timestamp)} ${level} ${String(message)}${rest}`;
    }),
  );
  const json = winston.format.combine(winston.format.timestamp(), winston.format.json());
  const transports: winston.transport[] = [
    new winston.transports.Console({ format: log.format === 'json' ? json : pretty }),
  ];
  if (log.toFiles) {
    fs.mkdirSync(log.dir, { recursive: true });
    transports.push(
      new winston.transports.File({ filename: path.join(log.dir, 'combined.log'), format: json }),
      new winston.transports.File({
        filename: path.join(log.dir, 'error.log'),
        level: 'error',
        format: json,
      }),
    );
  }
  return winston.createLogger({ level: log.level, transports });
}
