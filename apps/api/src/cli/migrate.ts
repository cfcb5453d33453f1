import { migrate } from '#read-model';
import { loadConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { stopOnSignal } from './signals.js';

/** npm run migrate: applies pending migrations to DATABASE_URL or the embedded database. */
const config = loadConfig();
const database = await openDatabase(config);
stopOnSignal(database);
try {
  const ran = await migrate(database.url);
  console.log(ran.length ? `applied: ${ran.join(', ')}` : 'schema up to date');
} finally {
  await database.embedded?.stop();
}
