package dev.sett.bench.report;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The benchmark report of one run: holds its JMH results and run facts, finds results by benchmark,
 * and puts the Markdown together: the run's facts, the chart, the issues' targets with the measured
 * ratios and whether each was met ({@link Targets}, {@link Issue11Targets}), one section per topic
 * ({@link TopicSections}),
 * then every result. Benchmarks that were not run (a quick profile runs a subset) show as "–" and
 * their targets as "not measured". Numbers are written by {@link Format}.
 *
 * <p>Ratios always say how many times faster the first thing is than the second: slower time over
 * faster time for time-per-operation scores, and the inverse for throughput scores.
 */
final class Report {
  static final String VALUE_READ = "ValueReadBenchmark";
  static final String ESSAY = "ZeroCopyEssayBenchmark";
  static final String WRITE = "WriteBenchmark";
  static final String SCAN = "ScanBenchmark";
  static final String THREADED = "ThreadedReadBenchmark";
  static final String PEER_READ = "PeerReadBenchmark";
  static final String PEER_WRITE = "PeerWriteBenchmark";
  static final String PEER_SCAN = "PeerScanBenchmark";
  static final String PEER_APPEND = "PeerAppendBenchmark";
  static final String RMW = "ReadModifyWriteBenchmark";
  static final String TTL = "TtlBenchmark";
  /** Plain programs (not JMH) whose results are JMH-shaped: see dev.sett.bench.ResultFile. */
  static final String BIG_STORE = "BigStoreMeasurement";
  static final String DISK_USE = "DiskUseMeasurement";
  static final String PLAIN_LOOP = "PlainLoopReads";

  /** Point-read paths of PeerReadBenchmark: method and label, Sett's callback first. */
  static final String[][] PEER_READS = {
      {"settReadLong", "Sett `readLong` callback (zero-copy, no allocation)"},
      {"settSnapshotView", "Sett snapshot view (zero-copy)"},
      {"settCopyGet", "Sett `get` (copy)"},
      {"lmdbGet", "lmdbjava `Dbi.get`, DirectBuffer (zero-copy), read txn reused"},
      {"rocksGet", "RocksDB `get(byte[])` (copy)"},
      {"rocksGetDirect", "RocksDB `get(ReadOptions, ByteBuffer, ByteBuffer)` (copy into direct buffer)"},
      {"mvstoreGet", "H2 MVStore `MVMap.get` (cached object)"},
  };

  /** Overwrite paths of PeerWriteBenchmark, Sett first. */
  static final String[][] PEER_WRITES = {
      {"settPut", "Sett `put`, SyncMode.NONE"},
      {"lmdbPut", "lmdbjava, 1 put per txn, MDB_NOSYNC"},
      {"lmdbPutBatch", "lmdbjava, 1,000 puts per txn, MDB_NOSYNC"},
      {"rocksPut", "RocksDB `put`, WAL on, no sync"},
      {"mvstorePut", "H2 MVStore `MVMap.put`, background auto-commit"},
  };

  private final List<JmhResult> results;
  private final Properties info;

  Report(List<JmhResult> results, Properties info) {
    this.results = List.copyOf(results);
    this.info = info;
  }

  // ---- lookups -------------------------------------------------------------------------------------

  /**
   * The result of {@code className.method} run with {@code threads} threads (0: any) whose
   * parameters include every {@code name=value} of {@code params}; null if there is none.
   */
  JmhResult find(String className, String method, int threads, String... params) {
    JmhResult found = null;
    outer:
    for (JmhResult r : results) {
      if (!r.className().equals(className) || !r.method().equals(method)
          || (threads != 0 && r.threads() != threads)) {
        continue;
      }
      for (String p : params) {
        int eq = p.indexOf('=');
        if (!p.substring(eq + 1).equals(r.param(p.substring(0, eq)))) {
          continue outer;
        }
      }
      found = r;
    }
    return found;
  }

  /** How many times faster {@code fast} is than {@code slow}; NaN if either is missing. */
  static double faster(JmhResult fast, JmhResult slow) {
    if (fast == null || slow == null || fast.score() <= 0 || slow.score() <= 0) {
      return Double.NaN;
    }
    return fast.higherIsBetter() ? fast.score() / slow.score() : slow.score() / fast.score();
  }

  /** The {@code valueSize} parameters benchmark class {@code className} ran with, ascending. */
  List<Integer> valueSizes(String className) {
    TreeSet<Integer> sizes = new TreeSet<>();
    for (JmhResult r : results) {
      if (r.className().equals(className) && r.param("valueSize") != null) {
        sizes.add(Integer.parseInt(r.param("valueSize")));
      }
    }
    return List.copyOf(sizes);
  }

  // ---- the Markdown --------------------------------------------------------------------------------

  /** The whole report; {@code chartFile}, if not null, is the chart's file name, linked as an image. */
  String markdown(String chartFile) {
    StringBuilder md = new StringBuilder();
    md.append("# Sett benchmark report\n\n");
    header(md);
    if (chartFile != null) {
      md.append("![zero-copy vs copy by value size; Sett vs peers](").append(chartFile).append(")\n\n");
    }
    new Targets(this).appendTo(md);
    new Issue11Targets(this).appendTo(md);
    new TopicSections(this).appendTo(md);
    all(md);
    return md.toString();
  }

  private void header(StringBuilder md) {
    JmhResult any = results.isEmpty() ? null : results.get(0);
    md.append("| | |\n|---|---|\n");
    fact(md, "date", info.getProperty("date", "–"));
    fact(md, "profile", info.getProperty("profile", "–"));
    fact(md, "command", info.containsKey("command") ? "`" + info.getProperty("command") + "`" : "–");
    fact(md, "machine", info.getProperty("machine", "–"));
    fact(md, "load average", info.getProperty("load", "–"));
    fact(md, "JDK", any == null ? "–" : any.jdk() + " (" + any.vm() + ")");
    fact(md, "JMH", any == null ? "–" : any.jmhVersion() + ", forks × iterations per result in the last table");
    md.append('\n');
  }

  /** A row of the run's facts; a "|" in the value is escaped so that it stays in its cell. */
  private static void fact(StringBuilder md, String name, String value) {
    Format.row(md, name, value.replace("|", "\\|"));
  }

  private void all(StringBuilder md) {
    md.append("## All results\n\n");
    md.append("| benchmark | parameters | threads | score | ± 99.9% | unit | B/op | forks × iterations |\n"
        + "|---|---|---:|---:|---:|---|---:|---|\n");
    for (JmhResult r : results) {
      StringBuilder params = new StringBuilder();
      for (Map.Entry<String, String> e : r.params().entrySet()) {
        params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
      }
      Format.row(md, r.name(), params.toString(), String.valueOf(r.threads()), Format.number(r.score()),
          Format.number(r.error()), r.unit(), Format.alloc(r), r.forks() + " × " + r.iterations());
    }
  }

  /** Whether any benchmark of {@code className} was run. */
  boolean hasClass(String className) {
    for (JmhResult r : results) {
      if (r.className().equals(className)) {
        return true;
      }
    }
    return false;
  }
}
