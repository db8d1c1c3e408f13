package dev.sett.core;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.sett.Seal}: a segment that stopped taking appends was forced to disk by the
 * sealer; the duration is the force's. Committed only when the force succeeded (a failure is a
 * {@code dev.sett.BackgroundFailure}). Created only while a recording enables it.
 *
 * <p>An instance belongs to the thread that created it.
 */
@Name("dev.sett.Seal")
@Label("Sett Seal")
@Category("Sett")
@Description("A full segment was forced to disk before its hint file is written")
@StackTrace(false)
final class SealEvent extends jdk.jfr.Event {
  /** Shared only to ask {@link #isEnabled()}. */
  static final SealEvent PROBE = new SealEvent();

  @Label("Store")
  String store;

  @Label("Segment")
  int segment;

  @Label("Segment Size")
  @DataAmount
  long size;
}
