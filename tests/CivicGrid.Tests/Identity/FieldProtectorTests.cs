using System.Security.Cryptography;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;

namespace CivicGrid.Tests.Identity;

/// <summary>AES-GCM field encryption, key rotation and the blind index.</summary>
public sealed class FieldProtectorTests
{
    private static readonly FieldKeyRing Ring = FieldKeyRing.Generate();

    [Theory]
    [InlineData("11010519491231002X", FieldKind.IdNumber)]
    [InlineData("13812345678", FieldKind.Phone)]
    [InlineData("", FieldKind.Phone)]
    [InlineData("包头市 +86 138-1234-5678", FieldKind.Phone)]
    public void A_value_decrypts_to_what_was_encrypted(string plain, FieldKind kind)
    {
        var protector = new FieldProtector(Ring);
        var cipher = protector.Encrypt(plain, kind);
        protector.Decrypt(cipher).Should().Be(plain);
    }

    [Fact]
    public void The_same_value_encrypts_differently_each_time_and_never_in_clear()
    {
        var protector = new FieldProtector(Ring);
        var a = protector.Encrypt("13812345678", FieldKind.Phone);
        var b = protector.Encrypt("13812345678", FieldKind.Phone);
        a.Should().NotEqual(b);
        System.Text.Encoding.UTF8.GetString(a).Should().NotContain("1381234");
        a.Length.Should().Be(6 + 12 + 11 + 16);
    }

    [Fact]
    public void Any_flipped_byte_makes_decryption_throw()
    {
        var protector = new FieldProtector(Ring);
        var cipher = protector.Encrypt("11010519491231002X", FieldKind.IdNumber);
        // The header is authenticated data, so even the kind and the key version cannot be changed.
        for (var i = 0; i < cipher.Length; i++)
        {
            var tampered = (byte[])cipher.Clone();
            tampered[i] ^= 0x01;
            var act = () => protector.Decrypt(tampered);
            act.Should().Throw<CryptographicException>($"byte {i} was flipped");
        }
        var cut = () => protector.Decrypt(cipher[..20]);
        cut.Should().Throw<CryptographicException>();
    }

    [Fact]
    public void A_value_from_another_key_ring_does_not_decrypt()
    {
        var cipher = new FieldProtector(Ring).Encrypt("13812345678", FieldKind.Phone);
        var act = () => new FieldProtector(FieldKeyRing.Generate()).Decrypt(cipher);
        act.Should().Throw<CryptographicException>();
    }

    [Fact]
    public void After_rotation_old_values_still_decrypt_and_new_writes_use_the_new_key()
    {
        var before = new FieldProtector(Ring);
        var old = before.Encrypt("13812345678", FieldKind.Phone);
        before.NeedsRotation(old).Should().BeFalse();

        var rotated = Ring.WithNewKey();
        var after = new FieldProtector(rotated);
        after.Decrypt(old).Should().Be("13812345678");
        after.NeedsRotation(old).Should().BeTrue();
        FieldProtector.ReadVersion(old).Should().Be(Ring.CurrentVersion);

        var fresh = after.Encrypt("13812345678", FieldKind.Phone);
        FieldProtector.ReadVersion(fresh).Should().Be(rotated.CurrentVersion).And.Be(Ring.CurrentVersion + 1);
        after.NeedsRotation(fresh).Should().BeFalse();
        // The index key survives rotation: lookups keep working without recomputing every index.
        after.BlindIndex("13812345678", FieldKind.Phone).Should().Equal(before.BlindIndex("13812345678", FieldKind.Phone));
    }

    [Theory]
    [InlineData("+86 138-1234-5678")]
    [InlineData("0086 138 1234 5678")]
    [InlineData(" 13812345678 ")]
    [InlineData("8613812345678")]
    [InlineData("(138) 1234 5678")]
    public void A_phone_has_the_same_blind_index_whatever_its_formatting(string formatted)
    {
        var protector = new FieldProtector(Ring);
        var index = protector.BlindIndex(formatted, FieldKind.Phone);
        index.Should().Equal(protector.BlindIndex("13812345678", FieldKind.Phone));
        index.Should().HaveCount(16);
    }

    [Fact]
    public void An_id_number_has_the_same_blind_index_in_either_case_and_differs_from_others()
    {
        var protector = new FieldProtector(Ring);
        protector.BlindIndex(" 11010519491231002x", FieldKind.IdNumber)
            .Should().Equal(protector.BlindIndex("11010519491231002X", FieldKind.IdNumber));
        protector.BlindIndex("150203199001011232", FieldKind.IdNumber)
            .Should().NotEqual(protector.BlindIndex("11010519491231002X", FieldKind.IdNumber));
        protector.BlindIndex("13812345678", FieldKind.IdNumber)
            .Should().NotEqual(protector.BlindIndex("13812345678", FieldKind.Phone), "the kind is part of the index");
        new FieldProtector(FieldKeyRing.Generate()).BlindIndex("13812345678", FieldKind.Phone)
            .Should().NotEqual(protector.BlindIndex("13812345678", FieldKind.Phone), "the index is keyed");
    }

    [Fact]
    public void A_missing_key_file_is_created_owner_only_and_read_back_the_same()
    {
        var folder = Directory.CreateTempSubdirectory("civicgrid-keys-");
        try
        {
            var path = Path.Combine(folder.FullName, "nested", "field-keys.json");
            var first = FieldKeyRing.Load(null, path);
            File.Exists(path).Should().BeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var cipher = new FieldProtector(first).Encrypt("13812345678", FieldKind.Phone);
            new FieldProtector(FieldKeyRing.Load(null, path)).Decrypt(cipher).Should().Be("13812345678");
            first.ToString().Should().NotContain(Convert.ToBase64String(first.CurrentKey));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_environment_variable_wins_over_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("civicgrid-keys-");
        try
        {
            var path = Path.Combine(folder.FullName, "field-keys.json");
            var fromEnvironment = Ring.WithNewKey();
            var loaded = FieldKeyRing.Load(Convert.ToBase64String(fromEnvironment.ToJson()), path);
            File.Exists(path).Should().BeFalse("nothing is written when the keys come from the environment");
            loaded.CurrentVersion.Should().Be(fromEnvironment.CurrentVersion);
            var cipher = new FieldProtector(Ring).Encrypt("11010519491231002X", FieldKind.IdNumber);
            new FieldProtector(loaded).Decrypt(cipher).Should().Be("11010519491231002X");
            var bad = () => FieldKeyRing.Load("not base64!", path);
            bad.Should().Throw<InvalidOperationException>().WithMessage("*CIVICGRID_FIELD_KEYS*");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
