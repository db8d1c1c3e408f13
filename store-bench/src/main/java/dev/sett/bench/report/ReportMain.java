package dev.sett.bench.report;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Writes {@code report.md} and {@code report.svg} from the JMH JSON files ({@code *.json}) of one
 * results directory, plus {@code run-info.properties} if present (date, profile, command, machine,
 * load average: written by {@code store-bench/scripts/run-benchmarks.sh}).
 *
 * <pre>
 * java -cp store-bench/target/benchmarks.jar dev.sett.bench.report.ReportMain store-bench/results/2026-11-26
 * </pre>
 * Exit status 0 when the report was written, 1 when the directory holds no result, 2 on bad usage.
 */
public final class ReportMain {
  static final String MARKDOWN = "report.md";
  static final String SVG = "report.svg";
  static final String INFO = "run-info.properties";

  private ReportMain() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || args[0].startsWith("-")) {
      System.err.println("usage: java -cp benchmarks.jar dev.sett.bench.report.ReportMain RESULTS_DIR");
      System.err.println("  reads RESULTS_DIR/*.json (JMH -rf json) and RESULTS_DIR/" + INFO
          + ", writes RESULTS_DIR/" + MARKDOWN + " and RESULTS_DIR/" + SVG);
      System.exit(2);
      return;
    }
    Path dir = Path.of(args[0]);
    int written = write(dir);
    if (written == 0) {
      System.err.println("no JMH results (*.json) in " + dir);
      System.exit(1);
      return;
    }
    System.out.println("wrote " + dir.resolve(MARKDOWN) + " and " + dir.resolve(SVG) + " from "
        + written + " results");
  }

  /** Writes the report of {@code dir}; returns the number of results it holds (0: nothing written). */
  static int write(Path dir) throws IOException {
    List<JmhResult> results = JmhResult.readDirectory(dir);
    if (results.isEmpty()) {
      return 0;
    }
    Properties info = new Properties();
    Path infoFile = dir.resolve(INFO);
    if (Files.exists(infoFile)) {
      try (Reader in = Files.newBufferedReader(infoFile, StandardCharsets.UTF_8)) {
        info.load(in);
      }
    }
    Report report = new Report(results, info);
    Files.writeString(dir.resolve(MARKDOWN), report.markdown(SVG), StandardCharsets.UTF_8);
    String title = "Sett benchmarks" + (info.containsKey("date") ? ", " + info.getProperty("date") : "")
        + (info.containsKey("profile") ? " (" + info.getProperty("profile").split(":")[0] + " profile)" : "");
    Files.writeString(dir.resolve(SVG), new SvgChart(report).render(title), StandardCharsets.UTF_8);
    return results.size();
  }
}
