package dev.sett.core;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.sett.SegmentRoll}: the store moved its appends to a new segment file; the
 * duration is the roll's, spent under the write lock. Created only while a recording enables it.
 *
 * <p>An instance belongs to the thread that created it.
 */
@Name("dev.sett.SegmentRoll")
@Label("Sett Segment Roll")
@Category("Sett")
@Description("The active segment was full (or had to change) and a new one was started")
@StackTrace(false)
final class SegmentRollEvent extends jdk.jfr.Event {
  /** Shared only to ask {@link #isEnabled()}. */
  static final SegmentRollEvent PROBE = new SegmentRollEvent();

  @Label("Store")
  String store;

  @Label("Old Segment")
  @Description("Id of the segment that stopped taking appends, -1 if there was none")
  int oldSegment;

  @Label("New Segment")
  int newSegment;

  @Label("New Segment Size")
  @DataAmount
  long newSize;

  @Label("Prepared File Used")
  @Description("Whether the file was prepared in the background (false: created under the write lock)")
  boolean prepared;
}
