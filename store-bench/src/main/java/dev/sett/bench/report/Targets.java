package dev.sett.bench.report;

import static dev.sett.bench.report.Format.bytes;
import static dev.sett.bench.report.Format.ratio;
import static dev.sett.bench.report.Format.whole;
import static dev.sett.bench.report.Report.ESSAY;
import static dev.sett.bench.report.Report.PEER_READ;
import static dev.sett.bench.report.Report.PEER_WRITE;
import static dev.sett.bench.report.Report.VALUE_READ;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets (issue 4) and the report's table of them: which results each
 * target compares, the ratio or allocation it needs, and the verdict from one run: met, missed (and
 * by how much), or not measured when a result is missing; with the noise of the results compared, so
 * that a reader can tell a verdict inside the error bars from a clear one.
 */
final class Targets {
  /**
   * One of the targets.
   *
   * @param what      what is compared
   * @param measured  the measured figure, formatted
   * @param needed    the target, formatted
   * @param met       whether it was met; null if not measured
   * @param note      how far off, or what else to know
   * @param noise     the larger relative 99.9% error of the results compared, formatted ("–" if unknown)
   */
  record Target(String what, String measured, String needed, Boolean met, String note, String noise) {
    String status() {
      if (met == null) {
        return "not measured" + (note.isEmpty() ? "" : " (" + note + ")");
      }
      return (met ? "**met**" : "**missed**") + (note.isEmpty() ? "" : " (" + note + ")");
    }
  }

  private final Report report;

  Targets(Report report) {
    this.report = report;
  }

  /** Appends the targets section: a heading, how to read it, and one table row per target. */
  void appendTo(StringBuilder md) {
    md.append("## Targets (issue 4)\n\n");
    md.append("Ratios say how many times faster Sett's path is than the other, from this one run. "
        + "\"noise\" is the larger 99.9% error of the two scores compared, relative to the score: "
        + "where it approaches or exceeds the margin, the verdict is not reliable.\n\n");
    table(md, list());
  }

  /** Appends the table of {@code targets} and a blank line. */
  static void table(StringBuilder md, List<Target> targets) {
    md.append("| target | measured | needed | result | noise |\n|---|---:|---|---|---:|\n");
    for (Target t : targets) {
      Format.row(md, t.what(), t.measured(), t.needed(), t.status(), t.noise());
    }
    md.append('\n');
  }

  /** Every target, in the order of the table. */
  List<Target> list() {
    List<Target> t = new ArrayList<>();
    String k64 = "valueSize=65536";
    JmhResult copy64 = find(VALUE_READ, "copyGet", 1, k64);
    t.add(ratioTarget("64 KiB point read: snapshot view vs copying `get`",
        find(VALUE_READ, "snapshotView", 1, k64), copy64, 100, Double.NaN));
    t.add(ratioTarget("64 KiB point read: `readLong` callback vs copying `get`",
        find(VALUE_READ, "callbackReadLong", 1, k64), copy64, 100, Double.NaN));
    t.add(allocTarget("64 KiB: allocation of the zero-allocation path (`readLong`)",
        find(VALUE_READ, "callbackReadLong", 1, k64), 0.5, "0 B/op"));
    t.add(allocTarget("64 KiB: allocation of the plain view path (snapshot view)",
        find(VALUE_READ, "snapshotView", 1, k64), 48, "at most one small object (≤ 48 B/op)"));

    String b128 = "valueSize=128";
    JmhResult copy128 = find(VALUE_READ, "copyGet", 1, b128);
    t.add(ratioTarget("128 B point read: snapshot view vs copying `get`",
        find(VALUE_READ, "snapshotView", 1, b128), copy128, 1, Double.NaN));
    t.add(ratioTarget("128 B point read: `readLong` callback vs copying `get`",
        find(VALUE_READ, "callbackReadLong", 1, b128), copy128, 1, Double.NaN));
    t.add(ratioTarget("128 B point read, every long summed: callback vs copy",
        find(VALUE_READ, "callbackSumLongs", 1, b128), find(VALUE_READ, "copyGetSumLongs", 1, b128),
        1, Double.NaN));

    JmhResult read = find(ESSAY, "readFileHeap", 1);
    t.add(ratioTarget("4 MiB file: mapping copied out (the essay's mmap) vs `FileChannel.read`",
        find(ESSAY, "mmapCopy", 1), read, 2, Double.NaN));
    t.add(ratioTarget("4 MiB file: mapping read in place vs `FileChannel.read`",
        find(ESSAY, "mmapSumLongs", 1), read, 2, Double.NaN));

    for (int threads : new int[] {1, 2}) {
      String th = threads == 1 ? "1 thread" : threads + " threads";
      JmhResult sett = find(PEER_READ, "settReadLong", threads);
      t.add(ratioTarget("1M × 100 B random reads, " + th + ": Sett `readLong` vs lmdbjava `get`",
        sett, find(PEER_READ, "lmdbGet", threads), 2, 4));
      t.add(ratioTarget("1M × 100 B random reads, " + th + ": Sett `readLong` vs RocksDB `get(byte[])`",
        sett, find(PEER_READ, "rocksGet", threads), 6, Double.NaN));
    }
    JmhResult put = find(PEER_WRITE, "settPut", 1);
    t.add(ratioTarget("Random overwrites, no sync: Sett `put` vs RocksDB `put`",
        put, find(PEER_WRITE, "rocksPut", 1), 3, 10));
    t.add(ratioTarget("Random overwrites, no sync: Sett `put` vs lmdbjava 1,000 puts/txn",
        put, find(PEER_WRITE, "lmdbPutBatch", 1), 3, 10));
    return t;
  }

  private JmhResult find(String className, String method, int threads, String... params) {
    return report.find(className, method, threads, params);
  }

  /** {@code fast} must be at least {@code need} times faster than {@code slow}; {@code aim} (or NaN) is hoped for. */
  static Target ratioTarget(String what, JmhResult fast, JmhResult slow, double need, double aim) {
    double ratio = Report.faster(fast, slow);
    String noise = noise(fast, slow);
    String needed = "≥ " + whole(need) + (Double.isNaN(aim) ? "" : " (aim " + whole(aim) + ")");
    if (need == 1) {
      needed = "≥ 1× (no slower)";
    }
    if (Double.isNaN(ratio)) {
      return new Target(what, "–", needed, null, "", noise);
    }
    boolean met = ratio >= need;
    String note;
    if (!met) {
      note = "short by " + ratio(need / ratio);
    } else if (!Double.isNaN(aim) && ratio < aim) {
      note = "aim not reached";
    } else {
      note = "";
    }
    return new Target(what, ratio(ratio), needed, met, note, noise);
  }

  /** {@code r} must allocate at most {@code max} bytes per operation (needs -prof gc). */
  private static Target allocTarget(String what, JmhResult r, double max, String needed) {
    if (r == null || Double.isNaN(r.allocPerOp())) {
      return new Target(what, "–", needed, null, r == null ? "" : "run without -prof gc", "–");
    }
    boolean met = r.allocPerOp() <= max;
    return new Target(what, bytes(r.allocPerOp()) + " B/op", needed, met, "", "–");
  }

  /** The larger of the two results' relative 99.9% errors, as "±12%"; "–" if either is unknown. */
  static String noise(JmhResult a, JmhResult b) {
    double worst = 0;
    for (JmhResult r : new JmhResult[] {a, b}) {
      if (r == null || Double.isNaN(r.error()) || r.score() <= 0) {
        return "–";
      }
      worst = Math.max(worst, r.error() / r.score());
    }
    return String.format(Locale.ROOT, "±%.0f%%", worst * 100);
  }
}
