package dev.sett.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The results of a measurement that is not a JMH benchmark (open time, memory, disk use, a plain
 * loop), written in the shape of JMH's JSON results ({@code -rf json}) so that the report reads
 * them like any other: {@code "benchmark"} is {@code <measurement class>.<what>}, the mode is
 * {@code "ss"} (single shot: lower is better), the error {@code "NaN"} (one sample), and
 * {@code "jmhVersion"} says that no JMH was involved.
 */
final class ResultFile {
  /** One figure. */
  private record Figure(String method, Map<String, String> params, double score, String unit, int samples) {
  }

  private final String benchmarkClass;
  private final List<Figure> figures = new ArrayList<>();

  /** Results of {@code measurement}, whose class name prefixes every result's name. */
  ResultFile(Class<?> measurement) {
    this.benchmarkClass = measurement.getName();
  }

  /** Adds a figure named {@code method}, with its parameters ({@code name, value, ...}). */
  ResultFile add(String method, double score, String unit, int samples, String... params) {
    Map<String, String> p = new TreeMap<>();
    for (int i = 0; i + 1 < params.length; i += 2) {
      p.put(params[i], params[i + 1]);
    }
    figures.add(new Figure(method, p, score, unit, samples));
    return this;
  }

  /** Writes every figure added so far to {@code file} (replacing it). */
  void write(Path file) throws IOException {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < figures.size(); i++) {
      Figure f = figures.get(i);
      json.append("  {\"jmhVersion\": \"none (plain program)\", \"benchmark\": ")
          .append(quote(benchmarkClass + "." + f.method()))
          .append(", \"mode\": \"ss\", \"threads\": 1, \"forks\": 1, \"measurementIterations\": ")
          .append(f.samples())
          .append(", \"jdkVersion\": ").append(quote(System.getProperty("java.version")))
          .append(", \"vmName\": ").append(quote(System.getProperty("java.vm.name")))
          .append(", \"vmVersion\": ").append(quote(System.getProperty("java.vm.version")))
          .append(", \"params\": {");
      String sep = "";
      for (Map.Entry<String, String> e : f.params().entrySet()) {
        json.append(sep).append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
        sep = ", ";
      }
      json.append("}, \"primaryMetric\": {\"score\": ").append(number(f.score()))
          .append(", \"scoreError\": \"NaN\", \"scoreUnit\": ").append(quote(f.unit()))
          .append("}, \"secondaryMetrics\": {}}").append(i + 1 < figures.size() ? ",\n" : "\n");
    }
    json.append("]\n");
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "\"NaN\"";
  }

  private static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < 0x20) {
        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }
}
