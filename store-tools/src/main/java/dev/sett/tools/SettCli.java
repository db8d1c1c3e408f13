package dev.sett.tools;

import dev.sett.api.StoreException;
import java.io.PrintWriter;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sett} command: entry point of the executable jar. Each subcommand is its own class;
 * after demo, the read-only ones (info, get, scan, export) are listed before the ones that write
 * (put, delete, load).
 *
 * <p>Exit codes: {@value #EXIT_OK} success; {@value #EXIT_DATA} a problem found in the data (a
 * missing key, a malformed dump line, a damaged record), or an unexpected failure (a bug);
 * {@value #EXIT_USAGE} a usage error (picocli's default, and arguments the engine refuses);
 * {@value #EXIT_STORE} the store could not be opened or used. {@link Errors} maps exceptions to
 * them. Errors are one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "sett",
    mixinStandardHelpOptions = true,
    versionProvider = SettCli.Version.class,
    description = "Sett, an embedded key-value store whose reads are zero-copy views of"
        + " memory-mapped files: inspection, operations and a demo.",
    subcommands = {DemoCommand.class, InfoCommand.class, WatchCommand.class, GetCommand.class, ScanCommand.class,
        ExportCommand.class, SegmentsCommand.class, DumpSegmentCommand.class, VerifyCommand.class, BackupCommand.class, CompactCommand.class, RepairCommand.class, PutCommand.class, DeleteCommand.class, LoadCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:a problem in the data (a missing key, a malformed dump line, a damaged record), or an"
            + " unexpected failure (a bug: rerun with --verbose and report the stack trace)",
        "2:usage error (also a key or value over the store's limits)",
        "3:the store could not be opened or used"})
public final class SettCli implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  /** A problem found in the data: a missing key, a malformed dump line, a damaged record. */
  public static final int EXIT_DATA = 1;
  /** An unexpected failure, a bug; the same code as {@link #EXIT_DATA}. */
  public static final int EXIT_SOFTWARE = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_STORE = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces with error messages.")
  boolean verbose;

  public static void main(String[] args) {
    OptionalInt relaunched = Relaunch.ifNeeded(args);
    if (relaunched.isPresent()) {
      System.exit(relaunched.getAsInt());
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests call {@code execute} on it with their own writers. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SettCli());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    return cl;
  }

  /** {@code sett} without a subcommand: a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: try 'sett demo'");
  }

  /** Turns exceptions thrown by a subcommand into one line on stderr and an exit code. */
  static final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
      PrintWriter err = cl.getErr();
      boolean verbose = isVerbose(parsed);
      boolean recognised = ex instanceof CliException || ex instanceof StoreException;
      err.println("sett: " + Errors.message(ex)
          + (recognised || verbose ? "" : " (rerun with --verbose for the stack trace)"));
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.flush();
      return Errors.exitCode(ex);
    }

    private static boolean isVerbose(ParseResult parsed) {
      for (ParseResult p = parsed; p != null; p = p.subcommand()) {
        if (p.hasMatchedOption("--verbose")) {
          return true;
        }
      }
      return false;
    }
  }

  /** The version from the jar manifest, and the Java runtime. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
          "sett " + version(),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
              + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
  }

  /** The version in the jar's manifest, or "dev" when running from class files. */
  static String version() {
    String v = SettCli.class.getPackage().getImplementationVersion();
    return v == null ? "dev (not from a packaged jar)" : v;
  }
}
