package io.redisl1.testsupport;

/** The tiny program ForkedJvmTest runs in another JVM; the first argument picks a behaviour. */
public final class ForkedMain {
  private ForkedMain() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "echo":
        System.out.println("prop=" + System.getProperty("forked.prop"));
        System.out.println("env=" + System.getenv("FORKED_ENV"));
        System.out.println("java=" + System.getProperty("java.specification.version"));
        System.err.println("to stderr");
        System.exit(Integer.parseInt(args[1]));
        break;
      case "flood":
        // Far beyond a pipe buffer (64 KiB) on both streams: would deadlock a naive reader.
        String line = "x".repeat(1023);
        for (int i = 0; i < 1024; i++) {
          System.out.println(line);
          System.err.println(line);
        }
        break;
      case "sleep":
        System.out.println("going to sleep");
        System.out.flush();
        Thread.sleep(600_000);
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }
}
