package dev.sett.tools;

import dev.sett.api.StoreException;
import java.io.PrintWriter;
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
 * The {@code sett} command: entry point of the executable jar. Each subcommand is its own class.
 *
 * <p>Exit codes: {@value #EXIT_OK} success, {@value #EXIT_SOFTWARE} an unexpected failure (a bug),
 * {@value #EXIT_USAGE} a usage error (picocli's default), {@value #EXIT_STORE} the store could not be
 * opened or used (any {@link StoreException}). Errors are one line on stderr; {@code --verbose} adds
 * the stack trace.
 */
@Command(
    name = "sett",
    mixinStandardHelpOptions = true,
    versionProvider = SettCli.Version.class,
    description = "Sett, an embedded key-value store whose reads are zero-copy views of"
        + " memory-mapped files: inspection, operations and a demo.",
    subcommands = {DemoCommand.class, InfoCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:unexpected failure (a bug; rerun with --verbose and report the stack trace)",
        "2:usage error",
        "3:the store could not be opened or used"})
public final class SettCli implements Callable<Integer> {
  public static final int EXIT_OK = 0;
  public static final int EXIT_SOFTWARE = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_STORE = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces with error messages.")
  boolean verbose;

  public static void main(String[] args) {
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
      boolean storeProblem = ex instanceof StoreException;
      if (storeProblem) {
        err.println("sett: " + ex.getMessage());
      } else {
        err.println("sett: unexpected failure: " + ex
            + (isVerbose(parsed) ? "" : " (rerun with --verbose for the stack trace)"));
      }
      if (isVerbose(parsed)) {
        ex.printStackTrace(err);
      }
      err.flush();
      return storeProblem ? EXIT_STORE : EXIT_SOFTWARE;
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
