-- Admin rights checked inside a batch (docs/benchmarks.md, issue 10): an admin endpoint's batch
-- starts with this, given the caller's is_admin as stored now (NULL when the caller or the session is
-- gone), and a refusal aborts the batch before the endpoint's own statements run. Who counts as an
-- admin stays in the query that computes the argument (api/services/users.ts adminGuard).
CREATE OR REPLACE FUNCTION assert_admin(p_is_admin boolean) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF p_is_admin IS NULL THEN
    RAISE EXCEPTION 'The caller no longer exists or its session has ended.' USING ERRCODE = 'TK401';
  END IF;
  IF NOT p_is_admin THEN
    RAISE EXCEPTION 'Administrator rights are required.' USING ERRCODE = 'TK403';
  END IF;
  RETURN true;
END
$$;
