// Imported first by server/main.ts: `.env` must be in process.env before any module reads it
// (server/trpc/init.ts reads NODE_ENV as it loads). Variables already set win over the file.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
