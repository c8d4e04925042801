using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Notifications.Domain;

/// <summary>The states of a notification's text message.</summary>
internal static class SmsStates
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string NoPhone = "no_phone";
    public const string Failed = "failed";
}

/// <summary>One line of a user's in-app inbox, and the state of its text message when one was asked for.</summary>
internal sealed class Notification
{
    private Notification()
    {
        Kind = Title = Body = DedupeKey = string.Empty;
    }

    public Notification(Guid id, Guid userId, string kind, string title, string body, string? link, string dedupeKey,
        string? smsState, DateTimeOffset createdAt)
    {
        Id = id;
        UserId = userId;
        Kind = kind;
        Title = title;
        Body = body;
        Link = link;
        DedupeKey = dedupeKey;
        SmsState = smsState;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Kind { get; private set; }

    public string Title { get; private set; }

    public string Body { get; private set; }

    public string? Link { get; private set; }

    public string DedupeKey { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>Null: no text message; else one of <see cref="SmsStates"/>.</summary>
    public string? SmsState { get; private set; }

    public DateTimeOffset? SmsAt { get; private set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Kind).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(n => n.Title).HasMaxLength(200).IsRequired();
        builder.Property(n => n.Body).HasMaxLength(1000).IsRequired();
        builder.Property(n => n.Link).HasMaxLength(300);
        builder.Property(n => n.DedupeKey).HasMaxLength(200).IsRequired();
        // Told once per user per key, whatever retries.
        builder.HasIndex(n => new { n.UserId, n.DedupeKey }).IsUnique();
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.Property(n => n.SmsState).HasMaxLength(16).IsUnicode(false);
        builder.HasIndex(n => n.SmsState).HasDatabaseName("IX_notifications_SmsState_pending").HasFilter("\"SmsState\" = 'pending'");
        // Each user reads his own only (the queries filter by the caller's id): no jurisdiction filter.
    }
}
