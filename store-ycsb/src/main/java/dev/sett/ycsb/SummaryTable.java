package dev.sett.ycsb;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown table that ends a run of {@code run-ycsb.sh}: one row per workload and store (the
 * stores of one workload next to each other), with throughput, the average and 99th-percentile
 * latency of each operation type that occurred, the data integrity figures, and a check column that
 * says {@code ok} or what went wrong ({@link YcsbOutput#problems}).
 *
 * <p>Not thread-safe; build it with {@link #add}, then {@link #render}.
 */
final class SummaryTable {
  /** Operation columns, in this order, for the types that occur in any row. */
  private static final List<String> OPERATION_COLUMNS =
      List.of("READ", "UPDATE", "INSERT", "SCAN", YcsbOutput.READ_MODIFY_WRITE, "DELETE");

  private record Row(String workload, String store, YcsbOutput output, List<String> problems) {
  }

  private final List<Row> rows = new ArrayList<>();

  /**
   * Adds a run.
   *
   * @param workload the row's workload label, such as {@code A} or {@code load (A)}
   * @param store the store's name
   * @param output the run's results
   * @param expectedOperations how many operations it was given
   */
  void add(String workload, String store, YcsbOutput output, long expectedOperations) {
    rows.add(new Row(workload, store, output, output.problems(expectedOperations)));
  }

  /**
   * Adds a run whose output is missing (it did not run, or wrote nothing).
   *
   * @param workload the row's workload label
   * @param store the store's name
   * @param why what happened, for the check column
   */
  void addMissing(String workload, String store, String why) {
    rows.add(new Row(workload, store, null, List.of(why)));
  }

  /** {@return whether every row's check is ok} */
  boolean allOk() {
    return rows.stream().allMatch(r -> r.problems().isEmpty());
  }

  /** {@return the table, one line per row after the header, each ending in a newline} */
  String render() {
    List<String> ops = new ArrayList<>();
    for (String op : OPERATION_COLUMNS) {
      if (rows.stream().anyMatch(r -> r.output() != null && r.output().operations().containsKey(op))) {
        ops.add(op);
      }
    }
    StringBuilder out = new StringBuilder("| workload | store | ops/s |");
    StringBuilder rule = new StringBuilder("|---|---|---:|");
    for (String op : ops) {
      out.append(' ').append(op).append(" avg / p99 (µs) |");
      rule.append("---:|");
    }
    out.append(" verified | verify failures | failed ops | check |\n");
    rule.append("---:|---:|---:|---|\n");
    out.append(rule);
    for (Row row : rows) {
      out.append("| ").append(row.workload()).append(" | ").append(row.store()).append(" | ");
      YcsbOutput o = row.output();
      out.append(o == null || o.throughput().isEmpty() ? "–" : format("%.0f", o.throughput().getAsDouble()));
      out.append(" |");
      for (String op : ops) {
        YcsbOutput.Operation m = o == null ? null : o.operations().get(op);
        out.append(' ').append(m == null ? "–" : format("%.1f / %.0f", m.averageLatencyUs(), m.p99LatencyUs()));
        out.append(" |");
      }
      out.append(' ').append(o == null ? "–" : Long.toString(o.verified()))
          .append(" | ").append(o == null ? "–" : Long.toString(o.verifyFailures()))
          .append(" | ").append(o == null ? "–" : Long.toString(o.failedOperations()))
          .append(" | ").append(row.problems().isEmpty() ? "ok" : String.join("; ", row.problems()))
          .append(" |\n");
    }
    return out.toString();
  }

  private static String format(String pattern, Object... values) {
    return String.format(Locale.ROOT, pattern, values);
  }
}
