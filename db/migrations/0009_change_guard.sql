-- A lifecycle change is decided from one read and written in one batch (docs/decisions/015).
-- The batch locks the user's row, then re-reads the plan's fingerprint in a statement of its own
-- (a fresh snapshot, after the lock) and calls this with whether it still matches the read.
-- A mismatch is a serialization failure: the whole batch rolls back and the change is decided again.
CREATE FUNCTION assert_plan_unchanged(unchanged boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  IF unchanged IS NOT TRUE THEN
    RAISE EXCEPTION 'the plan changed while this change was being decided' USING ERRCODE = '40001';
  END IF;
END $$;
