-- Acknowledgements of alerts (shelly.alert-acks, sunk by wattstream-sink-alert-ack): who
-- acknowledged the alert, when, and an optional note. That connector writes these columns of the
-- alert's row and no other; the alert's own connector never writes them.
alter table alert
    add column acked_by text,
    add column acked_at timestamptz,
    add column ack_note text;

-- The two connectors run apart, so an acknowledgement can reach the table before its alert (a
-- database filled again from the topics): its row then has no state until the alert's record fills
-- it in. Readers take only rows with a state.
alter table alert alter column state drop not null;
