-- Failed attempts (sign-in, current-password checks) per scope and key, shared by every process
-- and kept across restarts, so that N instances do not allow N times the guesses and a flood of
-- made-up keys cannot push a victim's failures out of memory. `failures` holds at most the
-- limit's most recent failure times (a sliding window); rows quiet for a window are deleted.
CREATE TABLE "attempt_limits" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "failures" TIMESTAMPTZ(3)[] DEFAULT ARRAY[]::TIMESTAMPTZ(3)[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "attempt_limits_pkey" PRIMARY KEY ("scope","key")
);

CREATE INDEX "attempt_limits_updated_at_idx" ON "attempt_limits"("updated_at");
