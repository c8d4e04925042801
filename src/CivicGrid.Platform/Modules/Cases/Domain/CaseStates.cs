namespace CivicGrid.Modules.Cases.Domain;

/// <summary>The states of a case, as stored and as the API shows them.</summary>
public static class CaseStates
{
    public const string Reported = "reported";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Dispatched = "dispatched";
    public const string Handling = "handling";
    public const string ReportedBack = "reported_back";
    public const string Verified = "verified";
    public const string Closed = "closed";
    public const string FollowedUp = "followed_up";
    public const string Merged = "merged";

    public static readonly IReadOnlyList<string> All =
        [Reported, Accepted, Rejected, Dispatched, Handling, ReportedBack, Verified, Closed, FollowedUp, Merged];

    /// <summary>The states of a case still being worked (not rejected, closed, followed up or merged).</summary>
    public static readonly IReadOnlyList<string> Open = [Reported, Accepted, Dispatched, Handling, ReportedBack, Verified];
}

/// <summary>How a case came in.</summary>
public static class CaseChannels
{
    public const string Patrol = "patrol";
    public const string Snap = "snap";
    public const string Hotline = "hotline";
    public const string Transfer = "transfer";
    public const string Device = "device";
    public const string Open311 = "open311";

    public static readonly IReadOnlyList<string> All = [Patrol, Snap, Hotline, Transfer, Device, Open311];
}
