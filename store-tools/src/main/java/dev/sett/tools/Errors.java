package dev.sett.tools;

import dev.sett.api.CorruptionException;
import dev.sett.api.InvalidInputException;
import dev.sett.api.StoreException;
import dev.sett.api.StoreLockedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The one place that turns an exception into an exit code and the one line printed on stderr.
 *
 * <table>
 *   <caption>Exceptions, exit codes and messages</caption>
 *   <tr><th>exception</th><th>exit</th><th>message</th></tr>
 *   <tr><td>{@link CliException}</td><td>its own</td><td>its own</td></tr>
 *   <tr><td>any exception of {@code Sett.open}, wrapped by {@link #openFailure}</td>
 *       <td>{@value SettCli#EXIT_STORE}</td>
 *       <td>the engine's, with advice for the command line where the engine's is for the API</td></tr>
 *   <tr><td>{@link InvalidInputException} (raised later: a key or value the user gave breaks a
 *       limit)</td><td>{@value SettCli#EXIT_USAGE}</td><td>the engine's (it names the limit)</td></tr>
 *   <tr><td>{@link CorruptionException} (raised later: found while reading)</td>
 *       <td>{@value SettCli#EXIT_DATA}</td><td>file and offset of the damage</td></tr>
 *   <tr><td>any other {@link StoreException}</td><td>{@value SettCli#EXIT_STORE}</td>
 *       <td>the engine's</td></tr>
 *   <tr><td>anything else (a bug)</td><td>{@value SettCli#EXIT_SOFTWARE}</td>
 *       <td>"unexpected failure" and the exception</td></tr>
 * </table>
 *
 * <p>Usage errors found by picocli while parsing (exit {@value SettCli#EXIT_USAGE}) never reach
 * here. Stateless.
 */
final class Errors {
  private Errors() {
  }

  static int exitCode(Throwable e) {
    if (e instanceof CliException c) {
      return c.exitCode();
    }
    if (e instanceof InvalidInputException) {
      return SettCli.EXIT_USAGE;
    }
    if (e instanceof CorruptionException) {
      return SettCli.EXIT_DATA;
    }
    if (e instanceof StoreException) {
      return SettCli.EXIT_STORE;
    }
    return SettCli.EXIT_SOFTWARE;
  }

  /** The line to print after "sett: ", without a line break. */
  static String message(Throwable e) {
    if (e instanceof CliException) {
      return e.getMessage();
    }
    // The engine's advice for these two names StoreOptions and commands still to come; on the
    // command line the advice differs, so only the engine's diagnosis is kept.
    if (e instanceof StoreLockedException locked) {
      return upTo(e.getMessage(), "; ", String.valueOf(locked.directory()))
          + "; stop the program that has it open or wait for it to finish, then try again (read-only"
          + " commands such as info, get, scan and export can share a store with each other, not"
          + " with a writer)";
    }
    if (e instanceof CorruptionException damage) {
      // The message is "PROBLEM in FILE at offset N; ADVICE" (see CorruptionException).
      String where = " in " + damage.file() + " at offset " + damage.offset();
      String m = e.getMessage();
      int i = m.indexOf(where);
      return (i < 0 ? m : m.substring(0, i + where.length()))
          + "; the store is damaged: keep a copy of its directory before changing anything";
    }
    if (e instanceof StoreException) {
      return e.getMessage();
    }
    return "unexpected failure: " + e;
  }

  /** A failure of {@code Sett.open}: exit {@value SettCli#EXIT_STORE}, whatever the exception. */
  static CliException openFailure(RuntimeException e) {
    return new CliException(SettCli.EXIT_STORE, message(e), e);
  }

  /**
   * What went wrong with a file the user named, to follow "cannot read FILE: ": "it does not exist",
   * "permission denied", or the system's reason.
   */
  static String io(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "it does not exist";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "it already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "a part of its path is not a directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** {@code m} up to the first {@code separator} after its prefix {@code skip}, if it has that prefix. */
  private static String upTo(String m, String separator, String skip) {
    int i = m.indexOf(separator, m.startsWith(skip) ? skip.length() : 0);
    return i < 0 ? m : m.substring(0, i);
  }
}
