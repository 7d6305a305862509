package io.wattstream.model;

/** A reading that breaks a rule; the message names the field and says why. */
public class InvalidReadingException extends RuntimeException {

    public InvalidReadingException(String message) {
        super(message);
    }
}
