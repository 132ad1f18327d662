package poreseg.workflow;

/**
 * The length unit used to show results: nanometre stacks are reported in micrometres (a pore
 * volume of 0.39 um^3 reads better than 3.9e8 nm^3); other units are kept.
 */
public record DisplayUnit(String name, double perFileUnit) {

    public static DisplayUnit of(String fileUnit) {
        return "nm".equals(fileUnit) ? new DisplayUnit("\u00b5m", 1e-3) : new DisplayUnit(fileUnit, 1);
    }

    public double length(double v) {
        return v * perFileUnit;
    }

    public double area(double v) {
        return v * perFileUnit * perFileUnit;
    }

    public double volume(double v) {
        return v * perFileUnit * perFileUnit * perFileUnit;
    }

    /** A per-length quantity such as specific surface area (1/unit). */
    public double inverse(double v) {
        return v / perFileUnit;
    }
}
