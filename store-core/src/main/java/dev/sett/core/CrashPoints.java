package dev.sett.core;

/**
 * Named places where a test can make the process die at once ({@link Runtime#halt}: no shutdown
 * hooks, no close, no flush), to check that recovery copes with a crash at exactly that step.
 *
 * <p>Off unless the system property {@code sett.crashPoint} is set when this class loads, to
 * {@code NAME} (die at the first hit) or {@code NAME:N} (at the N-th hit). Each hit then costs one
 * comparison of a static final field, which the JIT folds away when the property is absent.
 */
final class CrashPoints {
  static final String APPEND = "append.afterWrite";
  /** After each record of a batch, before its commit is visible: recovery must drop the partial batch. */
  static final String BATCH_RECORD = "batch.afterRecord";
  static final String ROLL = "roll.afterCreate";
  static final String SEAL_FORCED = "seal.afterForce";
  static final String SEAL_HINT = "seal.afterHint";
  static final String COMPACTION_COPIED = "compaction.afterCopy";
  static final String COMPACTION_FORCED = "compaction.afterForce";
  static final String COMPACTION_RETIRED = "compaction.afterRetire";
  static final String COMPACTION_DELETED = "compaction.afterDelete";

  /** Every point, for tests that visit each one. */
  static final String[] ALL = {APPEND, BATCH_RECORD, ROLL, SEAL_FORCED, SEAL_HINT, COMPACTION_COPIED, COMPACTION_FORCED,
      COMPACTION_RETIRED, COMPACTION_DELETED};

  /** Exit status of a process stopped at a crash point. */
  static final int EXIT_STATUS = 86;

  private static final String ARMED;
  private static final int AT_HIT;
  private static int hits;

  static {
    String spec = System.getProperty("sett.crashPoint");
    if (spec == null || spec.isEmpty()) {
      ARMED = null;
      AT_HIT = 0;
    } else {
      int colon = spec.indexOf(':');
      ARMED = colon < 0 ? spec : spec.substring(0, colon);
      AT_HIT = colon < 0 ? 1 : Integer.parseInt(spec.substring(colon + 1));
    }
  }

  private CrashPoints() {
  }

  static void hit(String name) {
    if (ARMED != null && ARMED.equals(name)) {
      count();
    }
  }

  private static synchronized void count() {
    if (++hits >= AT_HIT) {
      System.out.flush();
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
