using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Demo;

/// <summary>
/// Synthetic residents for the demo district. Person <c>i</c> is drawn from its own generator seeded
/// by <c>i</c>, so a seed of N persons is the same on every machine and a later top-up continues
/// where it stopped. Roughly the 2020 census of Baotou: ~20% aged 60+, ~15% under 15; 汉族 with
/// ~10% 蒙古族 and a few 回族/满族/达斡尔族/鄂温克族; 18% floating, 1% foreigners with passports.
/// </summary>
internal sealed class DemoPersons(CivicGridDbContext db, IFieldProtector protector, TimeProvider time) : IDemoPersons
{
    public const string Actor = "demo-seed";

    // The day the demo's ages are counted from: fixed, so the ID numbers do not change with the date.
    private static readonly DateOnly Reference = new(2025, 12, 31);

    // Baotou's county-level codes, weighted to Kundulun.
    private static readonly string[] Regions =
        ["150203", "150203", "150203", "150203", "150203", "150203", "150202", "150204", "150207", "150205", "150221", "150222", "150223", "150206"];

    // Weighted roughly by frequency (the first ones repeat in the draw below).
    internal const string Surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
    internal const string GivenMale = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志海东亮成文博晨阳瑞翔";
    internal const string GivenFemale = "芳娜敏静丽艳娟霞秀英慧玲婷雪琳颖倩丹萍红燕梅莉兰洁欣悦佳怡晶琪彤雅璐月蕾宁";

    private static readonly string[] MongolNames =
    [
        "巴特尔", "其其格", "苏日娜", "额尔敦", "乌兰", "那日苏", "斯琴", "图雅", "宝音", "阿拉坦", "格日乐", "娜仁", "哈斯", "朝鲁",
        "孟和", "乌力吉", "萨仁", "敖其尔", "塔娜", "满都拉", "吉日嘎拉", "高娃", "巴雅尔", "乌云",
    ];

    internal static readonly string[] Streets = ["钢铁大街", "阿尔丁大街", "友谊大街", "林荫路", "团结大街", "青年路", "民族东路", "少先路", "乌兰道", "白云路", "市府东路", "昆河路"];

    internal static readonly string[] MobilePrefixes =
        ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "155", "157", "158", "159", "180", "181", "182", "186", "187", "188", "189"];

    public async Task<DemoPersonsReport> SeedAsync(IReadOnlyList<string> gridCodes, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gridCodes);
        var clock = Stopwatch.StartNew();
        if (gridCodes.Count == 0 || count <= 0)
        {
            return new DemoPersonsReport(0, 0, clock.Elapsed);
        }
        var grids = gridCodes.Order(StringComparer.Ordinal).ToArray();
        var persons = db.Set<Person>().IgnoreQueryFilters();
        var existing = await persons.CountAsync(p => grids.Contains(p.GridCode), cancellationToken);
        if (existing >= count)
        {
            return new DemoPersonsReport(existing, 0, clock.Elapsed);
        }
        // Every document number registered anywhere: the seed never collides with one.
        var taken = new HashSet<UInt128>();
        await foreach (var index in persons.Where(p => p.DocumentIndex != null).Select(p => p.DocumentIndex!).AsAsyncEnumerable()
                           .WithCancellation(cancellationToken))
        {
            taken.Add(BinaryPrimitives.ReadUInt128LittleEndian(index));
        }
        var now = time.GetUtcNow();
        var added = await BulkWriter.InsertAsync(db, Generate(grids, existing, count, taken, now), cancellationToken);
        return new DemoPersonsReport(existing, added, clock.Elapsed);
    }

    private IEnumerable<Person> Generate(string[] grids, int from, int to, HashSet<UInt128> taken, DateTimeOffset now)
    {
        var ids = new OrderedIds(now);
        for (var i = from; i < to; i++)
        {
            yield return Draw(i, grids, taken, now, ids.Next());
        }
    }

    private Person Draw(int i, string[] grids, HashSet<UInt128> taken, DateTimeOffset now, Guid id)
    {
        var rng = new SplitMix((ulong)i * 0x9E3779B97F4A7C15UL + 20261123UL);
        var roll = rng.NextDouble();
        var age = roll < 0.20 ? 60 + (int)(36 * Math.Pow(rng.NextDouble(), 1.7))
            : roll < 0.35 ? rng.Next(15)
            : 15 + rng.Next(45);
        var born = Reference.AddYears(-age).AddDays(-rng.Next(365));
        var sex = rng.Next(1000) < 505 ? Sex.Male : Sex.Female;

        var ethnic = rng.NextDouble();
        var ethnicity = ethnic < 0.10 ? Ethnicities.Mongol
            : ethnic < 0.12 ? "03"
            : ethnic < 0.135 ? "11"
            : ethnic < 0.14 ? (rng.Next(2) == 0 ? "31" : "45")
            : Ethnicities.Han;
        var household = rng.NextDouble() switch
        {
            < 0.01 => HouseholdType.Overseas,
            < 0.19 => HouseholdType.Floating,
            _ => HouseholdType.Registered,
        };

        var name = ethnicity == Ethnicities.Mongol && rng.Next(10) < 7
            ? MongolNames[rng.Next(MongolNames.Length)]
            : HanName(ref rng, sex);

        var person = new Person(id, now, Actor)
        {
            Name = name,
            NameInitials = PinyinInitials.Of(name),
            Sex = sex,
            BirthDate = born,
            EthnicityCode = household == HouseholdType.Overseas ? null : ethnicity,
            HouseholdType = household,
            GridCode = grids[rng.Next(grids.Length)],
            Address = string.Create(CultureInfo.InvariantCulture,
                $"昆都仑区{Streets[rng.Next(Streets.Length)]}{1 + rng.Next(300)}号{1 + rng.Next(30)}栋{1 + rng.Next(6)}单元{1 + rng.Next(18)}{1 + rng.Next(4):D2}室"),
        };

        string number;
        if (household == HouseholdType.Overseas)
        {
            person.DocumentType = DocumentType.Passport;
            number = string.Create(CultureInfo.InvariantCulture, $"E{rng.Next(100_000_000):D8}");
        }
        else if (age == 0 && rng.Next(3) == 0)
        {
            person.DocumentType = DocumentType.BirthCertificate;
            number = string.Create(CultureInfo.InvariantCulture, $"O15{rng.Next(10_000_000):D7}");
        }
        else
        {
            person.DocumentType = DocumentType.IdCard;
            var region = Regions[rng.Next(Regions.Length)];
            var sequence = rng.Next(500) * 2 + (sex == Sex.Male ? 1 : 0);
            number = IdCardNumber(region, born, sequence);
            for (var attempt = 1; taken.Contains(Key(number)) && attempt < 500; attempt++)
            {
                number = IdCardNumber(region, born, (sequence + 2 * attempt) % 1000);
            }
        }
        var index = protector.BlindIndex(number, FieldKind.IdNumber);
        if (!taken.Add(BinaryPrimitives.ReadUInt128LittleEndian(index)))
        {
            // A passport or certificate number drawn twice: register that person without a document.
            person.DocumentType = DocumentType.None;
        }
        else
        {
            person.DocumentCipher = protector.Encrypt(number, FieldKind.IdNumber);
            person.DocumentIndex = index;
            person.DocumentTailIndex = protector.BlindIndex(PersonRules.Tail(number), FieldKind.IdNumber);
        }

        if (age >= 16 && rng.Next(100) < 92)
        {
            var phone = string.Create(CultureInfo.InvariantCulture, $"{MobilePrefixes[rng.Next(MobilePrefixes.Length)]}{rng.Next(100_000_000):D8}");
            person.PhoneCipher = protector.Encrypt(phone, FieldKind.Phone);
            person.PhoneIndex = protector.BlindIndex(phone, FieldKind.Phone);
            person.PhoneTailIndex = protector.BlindIndex(PersonRules.Tail(phone), FieldKind.Phone);
        }

        var tags = new List<string>(2);
        if (age >= 60 && rng.Next(100) < 8)
        {
            tags.Add("独居老人");
        }
        if (rng.Next(100) < 3)
        {
            tags.Add("低保");
        }
        if (rng.Next(100) < 2)
        {
            tags.Add("残疾人");
        }
        if (sex == Sex.Male && age >= 25 && rng.Next(100) < 4)
        {
            tags.Add("退役军人");
        }
        person.Tags = Person.JoinTags(tags);
        return person;

        UInt128 Key(string candidate) => BinaryPrimitives.ReadUInt128LittleEndian(protector.BlindIndex(candidate, FieldKind.IdNumber));
    }

    private static string HanName(ref SplitMix rng, Sex sex)
    {
        // The first 20 surnames cover about half of the population: draw from them half the time.
        var surname = Surnames[rng.Next(2) == 0 ? rng.Next(20) : rng.Next(Surnames.Length)];
        var given = sex == Sex.Male ? GivenMale : GivenFemale;
        return rng.Next(10) < 3
            ? string.Concat(surname.ToString(), given[rng.Next(given.Length)].ToString())
            : string.Concat(surname.ToString(), given[rng.Next(given.Length)].ToString(), given[rng.Next(given.Length)].ToString());
    }

    internal static string IdCardNumber(string region, DateOnly born, int sequence)
    {
        var first17 = string.Create(CultureInfo.InvariantCulture, $"{region}{born:yyyyMMdd}{sequence:D3}");
        return first17 + IdNumber.CheckCharacter(first17);
    }

    /// <summary>SplitMix64: a tiny, fast, well-mixed generator; one per person keeps each person independent of the others.</summary>
    private struct SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public ulong NextULong()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public int Next(int maxExclusive) => (int)(NextULong() % (ulong)maxExclusive);

        public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));
    }
}
