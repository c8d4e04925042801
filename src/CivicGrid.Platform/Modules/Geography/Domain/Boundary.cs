namespace CivicGrid.Modules.Geography.Domain;

/// <summary>
/// One version of a division's or grid's shape, valid from <see cref="ValidFrom"/> until
/// <see cref="ValidTo"/> (null: current). Old versions are kept so that a case reported last year
/// still resolves to the grid it was reported in. The geometry is WKB (lon/lat, EPSG:4326),
/// portable across SQLite and PostgreSQL; spatial questions are answered in memory.
/// </summary>
internal sealed class Boundary
{
    private Boundary()
    {
        DivisionCode = Source = string.Empty;
        Wkb = [];
    }

    public Boundary(string divisionCode, byte[] wkb, (double MinX, double MinY, double MaxX, double MaxY) envelope,
        DateTimeOffset validFrom, string source)
    {
        Id = Guid.CreateVersion7(validFrom);
        DivisionCode = divisionCode;
        Wkb = wkb;
        (MinX, MinY, MaxX, MaxY) = envelope;
        ValidFrom = validFrom;
        Source = source;
    }

    public Guid Id { get; private set; }

    public string DivisionCode { get; private set; }

    public byte[] Wkb { get; private set; }

    // The envelope lets the database narrow a point-in-time lookup before the exact test in memory.
    public double MinX { get; private set; }

    public double MinY { get; private set; }

    public double MaxX { get; private set; }

    public double MaxY { get; private set; }

    public DateTimeOffset ValidFrom { get; private set; }

    public DateTimeOffset? ValidTo { get; private set; }

    /// <summary>Where the shape came from: <c>demo-partition</c>, <c>import:FILE</c>, <c>edit</c>.</summary>
    public string Source { get; private set; }

    public bool IsCurrent => ValidTo is null;

    /// <summary>Ends this version; the next one starts at the same instant.</summary>
    public void Retire(DateTimeOffset at) => ValidTo = at;
}
