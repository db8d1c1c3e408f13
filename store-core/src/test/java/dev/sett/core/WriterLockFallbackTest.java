package dev.sett.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@link WriterLockTest} again with the fallback that platforms without the native lock use (the
 * JDK's {@code FileChannel} lock, which Sett never drops itself), here, in the class loader copy and
 * in the child JVMs. The cases it cannot pass are the weaker guarantee {@link DirectoryLock}
 * documents, and are disabled here with that reason.
 */
class WriterLockFallbackTest extends WriterLockTest {
  private static final String PROPERTY = "sett.test.jdkLocks";

  @BeforeEach
  void useTheFallback() {
    System.setProperty(PROPERTY, "true"); // for the class loader copy
    DirectoryLock.jdkLocksOnly = true;
  }

  @AfterEach
  void useTheNativeLockAgain() {
    System.clearProperty(PROPERTY);
    DirectoryLock.jdkLocksOnly = false;
  }

  @Override
  List<String> childJvmOptions() {
    return List.of("-D" + PROPERTY + "=true");
  }

  @Override
  void otherCodeReadsTheLockFile() {
    // The fallback's documented weakness: that would unlock the reader.
  }

  @Test
  @Override
  void linuxUsesOpenFileDescriptionLocks() {
    assertEquals("jdk", DirectoryLock.mechanism());
  }

  @Test
  @Override
  @Disabled("the fallback's documented weakness: code outside Sett that closes a descriptor of LOCK drops"
      + " the JDK's lock")
  void userCodeReadingOrCopyingTheLockFileLeavesTheLockHeld() {
  }

  @Test
  @Override
  @Disabled("the fallback's documented weakness: the writer JVM reads LOCK itself, which drops the JDK's lock")
  void everyAcknowledgedWriteSurvivesASecondJvmTryingToOpen() {
  }

  @Test
  @Override
  @Disabled("with the JDK's lock the JVM refuses Sett any lock beside another JDK lock of the JVM on the"
      + " file, even a shared one beside a shared one")
  void aJdkLockHeldByOtherCodeInThisProcessIsNeverReleasedBySett() {
  }
}
