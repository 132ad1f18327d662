package poreseg.spark;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import poreseg.morpho.MeasureResult;
import poreseg.workflow.Analysis;

/**
 * One stack's line of the batch summary (summary.csv, summary.parquet): the CNN's porosity with its
 * interval, pore volume, surface area, specific surface and percolation (lengths in {@code unit}), or
 * the error that stopped the stack. Also stored as summary.json in the stack's output folder, where
 * {@code --resume} reads it back.
 */
public final class SummaryRow implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String OK = "ok";
    public static final String ERROR = "error";

    public int index;
    public String id;
    public String stack;
    /** "ok" or "error". */
    public String status;
    public String error;
    /** True when the outputs come from an earlier run (--resume). */
    public boolean earlier_run;
    public Integer width;
    public Integer height;
    public Integer depth;
    public String unit;
    public Double voxel_x;
    public Double voxel_y;
    public Double voxel_z;
    public String roi;
    public Double porosity;
    public Double porosity_low;
    public Double porosity_high;
    public Double pore_volume;
    public Double surface_area;
    public Double specific_surface_area;
    public Boolean percolates_x;
    public Boolean percolates_y;
    public Boolean percolates_z;
    public Integer members;
    /** Seconds the executors spent reading and segmenting the stack's slices (summed over tasks). */
    public Double segment_seconds;
    /** Seconds of the stack's assemble task: spill, masks, measures, report, publishing. */
    public Double assemble_seconds;
    /** The stack's output folder (report.json, report.html, cnn.tif, ...). */
    public String output;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    static SummaryRow start(Manifest.Entry e) {
        SummaryRow r = new SummaryRow();
        r.index = e.index();
        r.id = e.id();
        r.stack = e.path();
        r.roi = e.roi();
        return r;
    }

    static SummaryRow error(Manifest.Entry e, String message) {
        SummaryRow r = start(e);
        r.status = ERROR;
        r.error = message;
        return r;
    }

    /** The numbers of a finished analysis: exactly those of report.json's {@code results}. */
    static SummaryRow ok(Manifest.Entry e, Analysis.Result res, String output, double segmentSeconds, double assembleSeconds) {
        SummaryRow r = start(e);
        r.status = OK;
        r.width = res.info().width();
        r.height = res.info().height();
        r.depth = res.info().depth();
        var cal = res.info().calibration();
        r.unit = cal.unit();
        r.voxel_x = cal.x();
        r.voxel_y = cal.y();
        r.voxel_z = cal.z();
        MeasureResult m = res.cnnVariant().measures();
        double[] iv = res.cnnPorosityInterval();
        r.porosity = m.porosity();
        r.porosity_low = iv[0];
        r.porosity_high = iv[1];
        r.pore_volume = m.poreVolume();
        r.surface_area = m.surfaceArea();
        r.specific_surface_area = Double.isFinite(m.specificSurfaceArea()) ? m.specificSurfaceArea() : null;
        if (m.percolates() != null) {
            r.percolates_x = m.percolates().x();
            r.percolates_y = m.percolates().y();
            r.percolates_z = m.percolates().z();
        }
        r.members = res.members();
        r.segment_seconds = segmentSeconds;
        r.assemble_seconds = assembleSeconds;
        r.output = output;
        return r;
    }

    String toJson() {
        return GSON.toJson(this);
    }

    static SummaryRow fromJson(String json) {
        return GSON.fromJson(json, SummaryRow.class);
    }

    /** The columns, in order, with their Spark SQL types. */
    static final String[] COLUMNS = {"index", "id", "stack", "status", "error", "earlier_run", "width", "height", "depth", "unit",
        "voxel_x", "voxel_y", "voxel_z", "roi", "porosity", "porosity_low", "porosity_high", "pore_volume", "surface_area",
        "specific_surface_area", "percolates_x", "percolates_y", "percolates_z", "members", "segment_seconds", "assemble_seconds", "output"};

    Object[] values() {
        return new Object[] {index, id, stack, status, error, earlier_run, width, height, depth, unit, voxel_x, voxel_y, voxel_z, roi,
            porosity, porosity_low, porosity_high, pore_volume, surface_area, specific_surface_area, percolates_x, percolates_y,
            percolates_z, members, segment_seconds, assemble_seconds, output};
    }

    static StructType schema() {
        List<StructField> f = new ArrayList<>();
        Object[] sample = new SummaryRow().values();
        DataType[] types = {DataTypes.IntegerType, DataTypes.StringType, DataTypes.StringType, DataTypes.StringType, DataTypes.StringType,
            DataTypes.BooleanType, DataTypes.IntegerType, DataTypes.IntegerType, DataTypes.IntegerType, DataTypes.StringType,
            DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.StringType, DataTypes.DoubleType,
            DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.DoubleType, DataTypes.DoubleType,
            DataTypes.BooleanType, DataTypes.BooleanType, DataTypes.BooleanType, DataTypes.IntegerType, DataTypes.DoubleType,
            DataTypes.DoubleType, DataTypes.StringType};
        if (types.length != COLUMNS.length || sample.length != COLUMNS.length) {
            throw new IllegalStateException("summary columns out of step");
        }
        for (int i = 0; i < COLUMNS.length; i++) {
            f.add(DataTypes.createStructField(COLUMNS[i], types[i], i > 5 || i == 4));
        }
        return DataTypes.createStructType(f);
    }

    Row toRow() {
        return RowFactory.create(values());
    }

    /** The CSV header line. */
    static String csvHeader() {
        return String.join(",", COLUMNS);
    }

    /** One CSV line: numbers with full precision (Java's shortest exact form), empty for missing. */
    String csvLine() {
        StringBuilder b = new StringBuilder();
        Object[] v = values();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            Object o = v[i];
            if (o == null) {
                continue;
            }
            String s = o instanceof Double d ? Double.toString(d) : String.valueOf(o);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                s = '"' + s.replace("\"", "\"\"") + '"';
            }
            b.append(s);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s %s", id, status, status.equals(OK) ? String.format(Locale.ROOT, "%.5f", porosity) : error);
    }
}
