package dev.sett.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One result of a JMH JSON file: a benchmark method with its parameters and thread count.
 *
 * @param className   simple name of the benchmark class, e.g. {@code ValueReadBenchmark}
 * @param method      benchmark method, e.g. {@code copyGet}
 * @param mode        JMH mode: {@code avgt}, {@code thrpt}, ...
 * @param threads     threads that ran it
 * @param forks       forks
 * @param iterations  measurement iterations per fork
 * @param params      the {@code @Param} values, sorted by name
 * @param score       primary score
 * @param error       99.9% half-width of the score (NaN with too few iterations)
 * @param unit        unit of the score, e.g. {@code ns/op}, {@code ops/s}
 * @param allocPerOp  bytes allocated per operation ({@code -prof gc}'s gc.alloc.rate.norm), or NaN
 * @param secondary   every secondary metric's score by name (a leading middle dot dropped), such as
 *                    an {@code @AuxCounters} field
 * @param jdk         JDK version of the forks
 * @param vm          VM name and version of the forks
 * @param jmhVersion  JMH version
 */
record JmhResult(
    String className,
    String method,
    String mode,
    int threads,
    int forks,
    int iterations,
    Map<String, String> params,
    double score,
    double error,
    String unit,
    double allocPerOp,
    Map<String, Double> secondary,
    String jdk,
    String vm,
    String jmhVersion) {

  /** Whether a larger score is better (throughput modes). */
  boolean higherIsBetter() {
    return mode.equals("thrpt");
  }

  /** {@code Class.method}. */
  String name() {
    return className + "." + method;
  }

  String param(String name) {
    return params.get(name);
  }

  /** The results of one JMH JSON file, in file order. */
  static List<JmhResult> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      // JMH leaves an empty file when a run failed before its first result.
      return List.of();
    }
    List<JmhResult> out = new ArrayList<>();
    for (Object o : Json.array(Json.parse(text))) {
      out.add(of(Json.object(o)));
    }
    return out;
  }

  static JmhResult of(Map<String, Object> r) {
    String benchmark = String.valueOf(r.get("benchmark"));
    int dot = benchmark.lastIndexOf('.');
    String fqcn = dot < 0 ? "" : benchmark.substring(0, dot);
    String method = benchmark.substring(dot + 1);
    String className = fqcn.substring(fqcn.lastIndexOf('.') + 1);
    Map<String, String> params = new TreeMap<>();
    for (Map.Entry<String, Object> e : Json.object(r.get("params")).entrySet()) {
      params.put(e.getKey(), String.valueOf(e.getValue()));
    }
    Map<String, Object> primary = Json.object(r.get("primaryMetric"));
    double alloc = Double.NaN;
    Map<String, Double> secondary = new TreeMap<>();
    for (Map.Entry<String, Object> e : Json.object(r.get("secondaryMetrics")).entrySet()) {
      double score = Json.number(Json.object(e.getValue()).get("score"));
      // The key is "·gc.alloc.rate.norm" (with a middle dot) in JMH 1.37.
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        alloc = score;
      }
      secondary.put(e.getKey().startsWith("\u00b7") ? e.getKey().substring(1) : e.getKey(), score);
    }
    return new JmhResult(className, method, String.valueOf(r.get("mode")),
        (int) Json.number(r.get("threads")), (int) Json.number(r.get("forks")),
        (int) Json.number(r.get("measurementIterations")), Collections.unmodifiableMap(params),
        Json.number(primary.get("score")), Json.number(primary.get("scoreError")),
        String.valueOf(primary.get("scoreUnit")), alloc, Collections.unmodifiableMap(secondary),
        String.valueOf(r.get("jdkVersion")),
        r.get("vmName") + " " + r.get("vmVersion"), String.valueOf(r.get("jmhVersion")));
  }

  /**
   * The results of every {@code *.json} file in {@code dir}, in file-name order. A benchmark that
   * appears twice (same class, method, parameters and threads) keeps its last result.
   */
  static List<JmhResult> readDirectory(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (var stream = Files.list(dir)) {
      stream.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
    }
    Map<String, JmhResult> byKey = new LinkedHashMap<>();
    for (Path f : files) {
      for (JmhResult r : read(f)) {
        byKey.remove(r.key());
        byKey.put(r.key(), r);
      }
    }
    return List.copyOf(byKey.values());
  }

  private String key() {
    return name() + params + "/t" + threads;
  }
}
