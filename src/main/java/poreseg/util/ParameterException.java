package poreseg.util;

/**
 * A parameter of a library call is wrong: out of range, unknown name, or a combination that cannot
 * work (as opposed to {@link poreseg.io.DataException}, bad input data). The message may reference
 * parameters as {@code {name}} (see {@link Messages}); {@link #getMessage()} names them plainly and
 * {@link #template()} keeps the references for a front end to render as its own option names.
 */
public class ParameterException extends IllegalArgumentException {
    private final String template;

    public ParameterException(String template) {
        super(Messages.plain(template));
        this.template = template;
    }

    public ParameterException(String template, Throwable cause) {
        super(Messages.plain(template), cause);
        this.template = template;
    }

    /** The message with its {@code {name}} parameter references. */
    public String template() {
        return template;
    }
}
