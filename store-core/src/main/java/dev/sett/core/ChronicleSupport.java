package dev.sett.core;

import dev.sett.api.EnvironmentException;
import java.nio.file.Path;

/**
 * Everything Sett must do before and around loading Chronicle Bytes: check the JVM flags it needs
 * (so a missing flag is a clear {@link EnvironmentException} instead of an {@code AssertionError}
 * from inside the library), keep it from importing a stray {@code system.properties} file into the
 * host application's system properties, and flush its asynchronous unmapping.
 */
final class ChronicleSupport {
  private static volatile boolean ready;

  private ChronicleSupport() {
  }

  /** The flags for the running JDK, space-separated, as they go on a {@code java} command line. */
  static String requiredFlags() {
    String base = "--add-opens java.base/java.lang.reflect=ALL-UNNAMED"
        + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED"
        + " --add-exports java.base/jdk.internal.ref=ALL-UNNAMED";
    if (Runtime.version().feature() >= 24) {
      base += " --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow";
    }
    return base;
  }

  /** Names of the missing module openings and exports, or an empty string if none is missing. */
  static String missingFlags() {
    Module base = Object.class.getModule();
    Module me = ChronicleSupport.class.getModule();
    StringBuilder missing = new StringBuilder();
    if (!base.isOpen("java.lang.reflect", me)) {
      missing.append(" --add-opens java.base/java.lang.reflect=ALL-UNNAMED");
    }
    if (!base.isExported("sun.nio.ch", me)) {
      missing.append(" --add-exports java.base/sun.nio.ch=ALL-UNNAMED");
    }
    if (!base.isExported("jdk.internal.ref", me)) {
      missing.append(" --add-exports java.base/jdk.internal.ref=ALL-UNNAMED");
    }
    return missing.toString().trim();
  }

  /**
   * Checks the environment once per JVM, before any Chronicle class loads.
   *
   * @throws EnvironmentException naming the exact flags to add
   */
  static void ensureReady() {
    if (ready) {
      return;
    }
    synchronized (ChronicleSupport.class) {
      if (ready) {
        return;
      }
      String missing = missingFlags();
      if (!missing.isEmpty()) {
        throw new EnvironmentException("Sett maps files with Chronicle Bytes, which needs these JVM flags"
            + " on Java " + Runtime.version().feature() + ": " + requiredFlags() + " (missing: " + missing
            + "). Add them to the java command line (or to Surefire's argLine, or as Add-Opens/Add-Exports"
            + " entries in an executable jar's manifest); see the README, section 'JVM flags'");
      }
      // Chronicle copies a system.properties file from the working directory into the system
      // properties of whatever application embeds it; an empty file keeps that from happening.
      if (System.getProperty("system.properties") == null) {
        System.setProperty("system.properties", Path.of("/dev/null").toFile().exists() ? "/dev/null" : "NUL");
      }
      if (System.getProperty("disable.perf.info") == null) {
        System.setProperty("disable.perf.info", "true");
      }
      ready = true;
    }
  }

  /** Unmaps now what Chronicle would otherwise unmap on its background thread shortly. */
  static void releasePending() {
    net.openhft.chronicle.core.io.BackgroundResourceReleaser.releasePendingResources();
  }
}
