namespace CivicGrid.Modules.Identity.Users;

/// <summary>A person who signs in. The password is kept only as a <c>PasswordHasher</c> hash.</summary>
internal sealed class User
{
    private readonly List<RoleAssignment> _roles = [];

    private User()
    {
        UserName = NormalizedUserName = DisplayName = PasswordHash = string.Empty;
    }

    public User(Guid id, string userName, string displayName, DateTimeOffset createdAt)
    {
        Id = id;
        UserName = userName;
        NormalizedUserName = Normalize(userName);
        DisplayName = displayName;
        PasswordHash = string.Empty;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string UserName { get; private set; }

    /// <summary>Upper-cased invariant: the unique index that makes names case-insensitive on both databases.</summary>
    public string NormalizedUserName { get; private set; }

    public string DisplayName { get; private set; }

    public string PasswordHash { get; private set; }

    public bool IsDisabled { get; private set; }

    public int FailedSignIns { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The mobile phone, AES-256-GCM under the field key ring (<c>IFieldProtector</c>); never the clear number.</summary>
    public byte[]? PhoneCipher { get; private set; }

    /// <summary>The phone's 16-byte blind index, for finding a user by exact number.</summary>
    public byte[]? PhoneIndex { get; private set; }

    /// <summary>The TOTP secret (base32), protected with Data Protection (<c>CivicGrid.Totp</c>); set while enrolling or enrolled.</summary>
    public string? TotpSecret { get; private set; }

    /// <summary>When the second factor was confirmed; null while enrolling or without one.</summary>
    public DateTimeOffset? TotpEnabledAt { get; private set; }

    /// <summary>The last time step whose code was accepted: a code is never accepted twice.</summary>
    public long? TotpLastStep { get; private set; }

    public bool HasTotp => TotpEnabledAt is not null && TotpSecret is not null;

    public IReadOnlyList<RoleAssignment> Roles => _roles;

    /// <summary>Starts (or restarts) enrolment with a new protected secret.</summary>
    public void BeginTotp(string protectedSecret)
    {
        TotpSecret = protectedSecret;
        TotpEnabledAt = null;
        TotpLastStep = null;
    }

    public void EnableTotp(DateTimeOffset now, long step)
    {
        TotpEnabledAt = now;
        TotpLastStep = step;
    }

    public void DisableTotp()
    {
        TotpSecret = null;
        TotpEnabledAt = null;
        TotpLastStep = null;
    }

    public static string Normalize(string userName) => userName.Trim().ToUpperInvariant();

    public void Assign(RoleAssignment role) => _roles.Add(role);

    public void SetPasswordHash(string hash, bool keepFailures = false)
    {
        PasswordHash = hash;
        if (!keepFailures)
        {
            FailedSignIns = 0;
            LockedUntil = null;
        }
    }

    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>Counts a failure; returns true when this one locks the account.</summary>
    public bool FailSignIn(DateTimeOffset now, int maxFailures, TimeSpan lockout)
    {
        FailedSignIns++;
        if (FailedSignIns < maxFailures)
        {
            return false;
        }
        FailedSignIns = 0;
        LockedUntil = now + lockout;
        return true;
    }

    public void SucceedSignIn()
    {
        FailedSignIns = 0;
        LockedUntil = null;
    }

    public void Disable() => IsDisabled = true;

    /// <summary>Sets the protected phone: its ciphertext and blind index, both from the field protector.</summary>
    public void SetPhone(byte[] cipher, byte[] index)
    {
        PhoneCipher = cipher;
        PhoneIndex = index;
    }
}

/// <summary>One role a user holds within a jurisdiction (division or grid code), and a department for officers.</summary>
internal sealed class RoleAssignment
{
    private RoleAssignment()
    {
        Role = JurisdictionCode = string.Empty;
    }

    public RoleAssignment(Guid userId, string role, string jurisdictionCode, string? departmentCode)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        Role = role;
        JurisdictionCode = jurisdictionCode;
        DepartmentCode = departmentCode;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Role { get; private set; }

    public string JurisdictionCode { get; private set; }

    public string? DepartmentCode { get; private set; }
}

/// <summary>
/// A refresh token, kept only as the SHA-256 of the random value handed out. Tokens rotated from
/// one sign-in share a <see cref="FamilyId"/>, so a reused (stolen) token can revoke them all.
/// </summary>
internal sealed class RefreshToken
{
    private RefreshToken()
    {
        TokenHash = string.Empty;
    }

    public RefreshToken(Guid id, Guid userId, Guid familyId, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        Id = id;
        UserId = userId;
        FamilyId = familyId;
        TokenHash = tokenHash;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public Guid FamilyId { get; private set; }

    public string TokenHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public Guid? ReplacedBy { get; private set; }

    public void Revoke(DateTimeOffset now, Guid? replacedBy = null)
    {
        RevokedAt ??= now;
        ReplacedBy ??= replacedBy;
    }
}
