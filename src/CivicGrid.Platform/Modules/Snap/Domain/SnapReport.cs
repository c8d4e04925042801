namespace CivicGrid.Modules.Snap.Domain;

/// <summary>
/// A resident's 随手拍 (SnapReport): the case it made through the Cases intake, the tracking code
/// the resident got (random, unique), the QR place it came from, and what moderators did to it.
/// The client key (an Idempotency-Key scoped to the browser session, hashed) with the hash of the
/// body makes a retry return the same report and a replay with another body a 409.
/// </summary>
internal sealed class SnapReport
{
    private SnapReport()
    {
        TrackingCode = GridCode = string.Empty;
    }

    public SnapReport(Guid id, string trackingCode, Guid caseId, string caseNumber, string gridCode, string? placeKey,
        string? clientKey, string? bodyHash, DateTimeOffset createdAt)
    {
        Id = id;
        TrackingCode = trackingCode;
        CaseId = caseId;
        CaseNumber = caseNumber;
        GridCode = gridCode;
        PlaceKey = placeKey;
        ClientKey = clientKey;
        BodyHash = bodyHash;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    /// <summary>What the resident types or follows: 10 characters of Crockford base32 (50 random bits).</summary>
    public string TrackingCode { get; private set; }

    public Guid CaseId { get; private set; }

    public string CaseNumber { get; private set; } = string.Empty;

    /// <summary>The case's grid: the jurisdiction of the report for staff.</summary>
    public string GridCode { get; private set; }

    /// <summary>The QR place (a division code or <c>c</c> + a compound id), null when reported without one.</summary>
    public string? PlaceKey { get; private set; }

    /// <summary>SHA-256 (hex) of the browser session and its Idempotency-Key; null without a key.</summary>
    public string? ClientKey { get; private set; }

    /// <summary>SHA-256 (hex) of what was submitted under <see cref="ClientKey"/>.</summary>
    public string? BodyHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When a moderator hid the report from the public tracking page; null while it is shown.</summary>
    public DateTimeOffset? HiddenAt { get; private set; }

    public string? HiddenBy { get; private set; }

    /// <summary>The photos no longer served on the public page (kept for staff), comma-separated.</summary>
    public string? RedactedPhotoIds { get; private set; }

    /// <summary>When the resident rated the closed case (once).</summary>
    public DateTimeOffset? RatedAt { get; private set; }

    public bool IsHidden => HiddenAt is not null;

    public IReadOnlyList<Guid> Redacted =>
        [.. (RedactedPhotoIds ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];

    public void Hide(string by, DateTimeOffset at)
    {
        HiddenAt = at;
        HiddenBy = by;
    }

    public void Show()
    {
        HiddenAt = null;
        HiddenBy = null;
    }

    public void Redact(Guid photoId)
    {
        if (!Redacted.Contains(photoId))
        {
            RedactedPhotoIds = string.Join(',', Redacted.Append(photoId));
        }
    }

    public void Rated(DateTimeOffset at) => RatedAt = at;
}
