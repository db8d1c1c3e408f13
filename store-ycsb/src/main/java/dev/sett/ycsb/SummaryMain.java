package dev.sett.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints the summary table of one {@code run-ycsb.sh} run and exits with status 1 if any run is
 * not clean (missing, unfinished, short of operations, a failed operation or a failed
 * {@code [VERIFY]} check), else 0.
 *
 * <pre>
 * java -cp store-ycsb/target/ycsb.jar dev.sett.ycsb.SummaryMain &lt;results-dir&gt; &lt;records&gt; &lt;operations&gt; &lt;store&gt;...
 * </pre>
 * It reads {@code <results-dir>/<store>/<phase>.txt} for each {@link #PHASES phase}, the exporter
 * output the script saved.
 *
 * <p>A command-line entry point; nothing in it is shared.
 */
public final class SummaryMain {
  /**
   * The script's phases in the order YCSB's documentation runs them: load with A's file, run A, B,
   * C, F, D (D inserts), then a fresh load with E's file and run E (E inserts too).
   */
  static final List<Phase> PHASES = List.of(
      new Phase("load-a", "load (A)"),
      new Phase("run-a", "A"),
      new Phase("run-b", "B"),
      new Phase("run-c", "C"),
      new Phase("run-f", "F"),
      new Phase("run-d", "D"),
      new Phase("load-e", "load (E)"),
      new Phase("run-e", "E"));

  /**
   * One YCSB invocation of the script.
   *
   * @param file the name of its output file, without {@code .txt}; {@code load-*} for a load
   * @param label its row label in the table
   */
  record Phase(String file, String label) {
    /** {@return whether it is a load (given the record count) rather than a run} */
    boolean isLoad() {
      return file.startsWith("load-");
    }
  }

  private SummaryMain() {
  }

  /**
   * Prints the table.
   *
   * @param args results directory, record count, operation count, then the stores
   * @throws IOException if a results file exists but cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: SummaryMain <results-dir> <records> <operations> <store>...");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    long records = Long.parseLong(args[1]);
    long operations = Long.parseLong(args[2]);
    List<String> stores = List.of(args).subList(3, args.length);
    SummaryTable table = table(dir, records, operations, stores);
    System.out.print(table.render());
    System.exit(table.allOk() ? 0 : 1);
  }

  /**
   * The table of the runs in {@code dir}.
   *
   * @param dir the results directory
   * @param records the record count each load was given
   * @param operations the operation count each run was given
   * @param stores the stores, in column order within each workload
   * @return the table
   * @throws IOException if a results file exists but cannot be read
   */
  static SummaryTable table(Path dir, long records, long operations, List<String> stores) throws IOException {
    SummaryTable table = new SummaryTable();
    for (Phase phase : PHASES) {
      long expected = phase.isLoad() ? records : operations;
      for (String store : stores) {
        Path file = dir.resolve(store).resolve(phase.file() + ".txt");
        if (Files.isRegularFile(file)) {
          table.add(phase.label(), store, YcsbOutput.read(file), expected);
        } else {
          table.addMissing(phase.label(), store, "no output (" + dir.relativize(file) + " missing)");
        }
      }
    }
    return table;
  }
}
