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

  /**
   * The flags for the running JDK, space-separated, as they go on a {@code java} command line. They
   * name the module that needs them: {@code ALL-UNNAMED} when Chronicle is on the class path, its
   * own module when it is on the module path (an automatic module: there the unnamed module's flags
   * do not reach it).
   */
  static String requiredFlags() {
    String target = flagTarget();
    String base = "--add-opens java.base/java.lang.reflect=" + target
        + " --add-exports java.base/sun.nio.ch=" + target
        + " --add-exports java.base/jdk.internal.ref=" + target;
    if (Runtime.version().feature() >= 24) {
      base += " --enable-native-access=" + (target.equals(UNNAMED) ? UNNAMED : NATIVE_MODULES)
          + " --sun-misc-unsafe-memory-access=allow";
    }
    return base;
  }

  /** Names of the missing module openings and exports, or an empty string if none is missing. */
  static String missingFlags() {
    Module base = Object.class.getModule();
    Module chronicle = chronicleModule();
    String target = flagTarget();
    StringBuilder missing = new StringBuilder();
    if (!base.isOpen("java.lang.reflect", chronicle)) {
      missing.append(" --add-opens java.base/java.lang.reflect=").append(target);
    }
    if (!base.isExported("sun.nio.ch", chronicle)) {
      missing.append(" --add-exports java.base/sun.nio.ch=").append(target);
    }
    if (!base.isExported("jdk.internal.ref", chronicle)) {
      missing.append(" --add-exports java.base/jdk.internal.ref=").append(target);
    }
    return missing.toString().trim();
  }

  private static final String UNNAMED = "ALL-UNNAMED";
  /** The modules that load native code on the module path: jffi (for jnr-ffi) and Chronicle Core. */
  private static final String NATIVE_MODULES = "org.jnrproject.jffi,chronicle.core";

  private static String flagTarget() {
    Module chronicle = chronicleModule();
    return chronicle.isNamed() ? chronicle.getName() : UNNAMED;
  }

  /**
   * The module Chronicle Core's classes are in. The class is looked up without being initialised:
   * its static initialiser is what fails without the flags, and this runs to check them first.
   */
  private static Module chronicleModule() {
    try {
      return Class.forName("net.openhft.chronicle.core.Jvm", false, ChronicleSupport.class.getClassLoader())
          .getModule();
    } catch (ClassNotFoundException e) {
      throw new EnvironmentException("Chronicle Core (net.openhft.chronicle:chronicle-core) is not on the"
          + " class or module path; store-core depends on it: add store-core's dependencies (through"
          + " Maven or Gradle, or the sett-bom BOM), not store-core's jar alone", e);
    }
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
      // JEP 471/498: the JDK is taking sun.misc.Unsafe's memory access away in steps (allowed, then
      // warned about from 24, then denied by default, then removed). Chronicle Bytes reads and writes
      // mapped memory through it; denied, its first access would throw from deep inside a map.
      if ("deny".equals(System.getProperty("sun.misc.unsafe.memory.access"))) {
        throw new EnvironmentException("Sett maps files with Chronicle Bytes, which reads and writes the"
            + " mapped memory through sun.misc.Unsafe, and this JVM runs with"
            + " --sun-misc-unsafe-memory-access=deny: run it with --sun-misc-unsafe-memory-access=allow"
            + " (the full flags for Java " + Runtime.version().feature() + ": " + requiredFlags()
            + "); see the README, section 'JVM flags'");
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
