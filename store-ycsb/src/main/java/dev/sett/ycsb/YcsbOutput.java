package dev.sett.ycsb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One YCSB run's results, read from what YCSB's text exporter writes ({@code [READ],
 * AverageLatency(us), 12.5}, {@code [READ], Return=OK, 1000}, {@code [OVERALL],
 * Throughput(ops/sec), 81234.5}); other lines are ignored, so a whole console log parses too.
 *
 * <p>Judging a run ({@link #problems}) does not trust YCSB's exit status, which is 0 even when
 * every client thread failed to start: a run is clean when it finished (it has a throughput), every
 * operation returned {@code OK}, no {@code [VERIFY]} check failed, and it did all the operations it
 * was given.
 *
 * <p>Immutable.
 */
final class YcsbOutput {
  /** The operations whose statuses YCSB counts per call to the binding. */
  static final List<String> DATABASE_OPERATIONS = List.of("READ", "UPDATE", "INSERT", "SCAN", "DELETE");
  /** A read-modify-write is one workload operation made of a READ and an UPDATE. */
  static final String READ_MODIFY_WRITE = "READ-MODIFY-WRITE";
  /** Where YCSB's data integrity checks ({@code -p dataintegrity=true}) report. */
  static final String VERIFY = "VERIFY";
  private static final String OK = "OK";
  private static final Pattern LINE = Pattern.compile("^\\[([^\\]]+)\\], ([^,]+), (.+)$");

  /**
   * One measured operation's figures.
   *
   * @param name the operation, such as {@code READ}
   * @param operations how many were measured
   * @param averageLatencyUs the mean latency in microseconds
   * @param p99LatencyUs the 99th percentile latency in microseconds, or NaN if not reported
   * @param returns how many calls returned each status, such as {@code OK=1000}
   */
  record Operation(String name, long operations, double averageLatencyUs, double p99LatencyUs,
      Map<String, Long> returns) {
  }

  private final OptionalDouble throughput;
  private final Map<String, Operation> operations;

  private YcsbOutput(OptionalDouble throughput, Map<String, Operation> operations) {
    this.throughput = throughput;
    this.operations = operations;
  }

  /**
   * Parses exporter lines.
   *
   * @param lines the output, in any order
   * @return what they say
   */
  static YcsbOutput parse(List<String> lines) {
    OptionalDouble throughput = OptionalDouble.empty();
    Map<String, Map<String, String>> metrics = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      String name = m.group(1);
      String metric = m.group(2).trim();
      String value = m.group(3).trim();
      if (name.equals("OVERALL") && metric.equals("Throughput(ops/sec)")) {
        throughput = OptionalDouble.of(number(value));
      } else {
        metrics.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(metric, value);
      }
    }
    Map<String, Operation> operations = new LinkedHashMap<>();
    metrics.forEach((name, byMetric) -> {
      Map<String, Long> returns = new LinkedHashMap<>();
      byMetric.forEach((metric, value) -> {
        if (metric.startsWith("Return=")) {
          returns.put(metric.substring("Return=".length()), (long) number(value));
        }
      });
      operations.put(name, new Operation(name,
          (long) number(byMetric.getOrDefault("Operations", "0")),
          number(byMetric.getOrDefault("AverageLatency(us)", "NaN")),
          number(byMetric.getOrDefault("99thPercentileLatency(us)", "NaN")),
          Collections.unmodifiableMap(returns)));
    });
    return new YcsbOutput(throughput, Collections.unmodifiableMap(operations));
  }

  /**
   * Reads and parses a file of exporter output.
   *
   * @param file the file
   * @return what it says
   * @throws IOException if it cannot be read
   */
  static YcsbOutput read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private static double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** {@return the run's throughput in operations per second; empty if it did not finish} */
  OptionalDouble throughput() {
    return throughput;
  }

  /** {@return every measured operation by name, in the order YCSB wrote them} */
  Map<String, Operation> operations() {
    return operations;
  }

  /** {@return how many {@code [VERIFY]} checks passed} */
  long verified() {
    Operation verify = operations.get(VERIFY);
    return verify == null ? 0 : verify.returns().getOrDefault(OK, 0L);
  }

  /** {@return how many {@code [VERIFY]} checks failed (wrong data, or none where some was expected)} */
  long verifyFailures() {
    return notOk(operations.get(VERIFY));
  }

  /** {@return how many calls to the binding returned anything but {@code OK}} */
  long failedOperations() {
    long failed = 0;
    for (String name : DATABASE_OPERATIONS) {
      failed += notOk(operations.get(name));
    }
    return failed;
  }

  /** {@return how many workload operations ran: binding calls, a read-modify-write counted once} */
  long operationsDone() {
    long calls = 0;
    for (String name : DATABASE_OPERATIONS) {
      Operation op = operations.get(name);
      if (op != null) {
        calls += op.returns().values().stream().mapToLong(Long::longValue).sum();
      }
    }
    Operation rmw = operations.get(READ_MODIFY_WRITE);
    return calls - (rmw == null ? 0 : rmw.operations());
  }

  /**
   * What is wrong with the run; empty if it is clean (see the class comment).
   *
   * @param expectedOperations how many operations it was given (recordcount for a load,
   *     operationcount for a run)
   * @return one sentence per problem
   */
  List<String> problems(long expectedOperations) {
    List<String> problems = new ArrayList<>();
    if (throughput.isEmpty()) {
      problems.add("no [OVERALL] throughput: the run did not finish");
    }
    long verifyFailures = verifyFailures();
    if (verifyFailures > 0) {
      problems.add(verifyFailures + " [VERIFY] failures " + statuses(VERIFY));
    }
    long failed = failedOperations();
    if (failed > 0) {
      StringBuilder which = new StringBuilder();
      for (String name : DATABASE_OPERATIONS) {
        if (notOk(operations.get(name)) > 0) {
          which.append(' ').append(name).append(statuses(name));
        }
      }
      problems.add(failed + " failed operations:" + which);
    }
    long done = operationsDone();
    if (done != expectedOperations) {
      problems.add("did " + done + " of " + expectedOperations + " operations");
    }
    return problems;
  }

  private String statuses(String name) {
    return operations.get(name).returns().toString();
  }

  private static long notOk(Operation op) {
    if (op == null) {
      return 0;
    }
    long n = 0;
    for (Map.Entry<String, Long> r : op.returns().entrySet()) {
      if (!r.getKey().equals(OK)) {
        n += r.getValue();
      }
    }
    return n;
  }
}
