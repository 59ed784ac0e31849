package io.redisl1.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import io.redisl1.testsupport.ForkedJvm;
import io.redisl1.testsupport.ProcessRunner;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Debian tools the deploy checks need. Missing on a developer's machine: the check that needs
 * it is skipped with a message saying how to install it. Missing on CI (env CI=true), where
 * .ci/run installs them: the check fails, unless .ci/run said why it could not install them
 * (env REDISL1_APT_UNAVAILABLE), when it is skipped with that reason.
 */
final class Tools {
  static final boolean CI = "true".equals(System.getenv("CI"));

  private Tools() {}

  /** {@code name} on the PATH, or the check is skipped (failed on CI) naming the Debian package. */
  static Path require(String name, String debianPackage) {
    Optional<Path> found = onPath(name);
    if (found.isPresent()) {
      return found.get();
    }
    return unavailable(name + " is not installed (apt-get install " + debianPackage + ")");
  }

  /** A file a Debian package installs, e.g. busybox-static's /bin/busybox. */
  static Path requireFile(Path file, String debianPackage) {
    if (Files.isExecutable(file)) {
      return file;
    }
    return unavailable(file + " is missing (apt-get install " + debianPackage + ")");
  }

  static <T> T unavailable(String why) {
    String noApt = System.getenv("REDISL1_APT_UNAVAILABLE");
    if (CI && (noApt == null || noApt.isBlank())) {
      fail(why + "; .ci/run installs it with apt-get before the build on CI");
    }
    return abort(why + (CI ? " and .ci/run could not install it: " + noApt : "") + ": skipping this check here");
  }

  static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs a command to completion and requires exit code 0. */
  static String run(Duration timeout, String... command) {
    ForkedJvm.Result result = ProcessRunner.run(List.of(command), Map.of(), timeout);
    assertEquals(0, result.exitCode(), () -> String.join(" ", command) + " failed: " + result);
    return result.stdout();
  }
}
