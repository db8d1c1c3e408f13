package dev.sett.tools;

/**
 * A command failed in a way it recognised: it carries the exit code and the one line that
 * {@link Errors} prints. Thrown by commands for problems that are not exceptions of the engine (a
 * missing key, a malformed dump line, a file that cannot be read), and by {@link StoreAccess} to
 * mark an engine exception as a failure to open the store.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
