package poreseg.view;

/** Thrown by the handlers of {@code poreseg view} to answer with a status and a one-line message. */
final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }
}
