package io.redisl1.testsupport;

/** An error reply ({@code -ERR ...}) from the server; the message is the server's text verbatim. */
public final class RespErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RespErrorException(String serverMessage) {
    super(serverMessage);
  }
}
