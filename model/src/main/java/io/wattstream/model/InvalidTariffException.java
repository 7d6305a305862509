package io.wattstream.model;

/** A tariff that breaks a rule; the message names the field or the zones and says why. */
public class InvalidTariffException extends RuntimeException {

    public InvalidTariffException(String message) {
        super(message);
    }
}
