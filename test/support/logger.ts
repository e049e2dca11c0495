import { createLogger } from '../../src/logger.ts';

/** Tests log at warn unless TEST_LOG_LEVEL says otherwise. */
export const testLogger = createLogger((process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent');
