namespace Disclosure.Storage;

/// <summary>The form values and times take in either store, shared so that both adapters return identical data.</summary>
internal static class StoredForm
{
    /// <summary>Every catalogue unit has at most two decimals; SQLite keeps values as integer hundredths so that SUM stays exact.</summary>
    public const int Scale = 2;

    /// <summary>The same number without trailing zeros (12.30 → 12.3, 120.00 → 120, −0 → 0), so both stores agree on the representation.</summary>
    public static decimal Normalise(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (byte)((bits[3] >> 16) & 0xFF);
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        if (mantissa == 0) return 0m;
        while (scale > 0 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            scale--;
        }
        return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), negative, scale);
    }

    /// <summary>
    /// The values with <see cref="Normalise(decimal)"/> applied: the same list when every value is in that form already, as
    /// the catalogue engine leaves them, so that a submission's cells are not copied on the way to the store.
    /// </summary>
    public static IReadOnlyList<StoredValue> Normalise(IReadOnlyList<StoredValue> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i].Value;
            // A whole number other than a negative zero is in normal form: nearly every count, checked without arithmetic.
            if (value.Scale == 0 && !(value == 0 && decimal.IsNegative(value))) continue;
            var normal = Normalise(value);
            // Equal in value, so the same bits exactly when the scale and the sign (of a zero) are the same too.
            if (normal.Scale != value.Scale || decimal.IsNegative(normal) != decimal.IsNegative(value))
                return [.. values.Select(v => v with { Value = Normalise(v.Value) })];
        }
        return values;
    }

    /// <summary>Whole numbers below this in magnitude have hundredths that fit 64 bits.</summary>
    private const long MaxWholeForLong = long.MaxValue / 100;

    /// <summary>The value in hundredths; throws when it has more than two decimals or does not fit 64 bits.</summary>
    public static long ToHundredths(decimal value)
    {
        // Whole numbers (nearly every count) without decimal arithmetic, which costs a submission's 45 values microseconds.
        if (value.Scale == 0 && value is > -MaxWholeForLong and < MaxWholeForLong) return (long)value * 100;
        var scaled = value * 100m;
        if (scaled != decimal.Truncate(scaled))
            throw new ArgumentException($"{value} has more than {Scale} decimals; the catalogue engine should have refused it.", nameof(value));
        return decimal.ToInt64(scaled);
    }

    public static decimal FromHundredths(long hundredths)
    {
        var negative = hundredths < 0;
        var magnitude = negative ? (ulong)(-(hundredths + 1)) + 1 : (ulong)hundredths;
        return Normalise(new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, Scale));
    }

    /// <summary>Stores keep time to the millisecond (BSON dates do), in UTC, so both adapters return the same instant.</summary>
    public static DateTimeOffset ToStoredTime(DateTimeOffset time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    public static string Name(ReporterKind kind) => kind switch
    {
        ReporterKind.Government => "government",
        ReporterKind.Department => "department",
        ReporterKind.Town => "town",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static ReporterKind ParseKind(string name) => name switch
    {
        "government" => ReporterKind.Government,
        "department" => ReporterKind.Department,
        "town" => ReporterKind.Town,
        _ => throw new FormatException($"'{name}' is not a stored reporter kind."),
    };

    public static string Name(KeyRole role) => role switch
    {
        KeyRole.Admin => "admin",
        KeyRole.Viewer => "viewer",
        KeyRole.Reporter => "reporter",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static KeyRole ParseRole(string name) => name switch
    {
        "admin" => KeyRole.Admin,
        "viewer" => KeyRole.Viewer,
        "reporter" => KeyRole.Reporter,
        _ => throw new FormatException($"'{name}' is not a stored key role."),
    };

    /// <summary>Cells sorted the same way by both adapters, so that results compare equal.</summary>
    public static IReadOnlyList<AggregateCell> Ordered(IEnumerable<AggregateCell> cells) =>
        [.. cells.OrderBy(c => c.Code, StringComparer.Ordinal).ThenBy(c => c.Kind)];

    /// <summary>
    /// Who contributed what to an aggregate, from the heads in scope: a reporter with a head for the period
    /// itself contributes that submission; any other contributes the quarters it has heads for.
    /// </summary>
    public static IReadOnlyList<Contribution> Contributions(string period, IEnumerable<(ReporterKind Kind, RevisionInfo Head)> heads) =>
    [
        .. heads.GroupBy(h => h.Head.ReporterId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var own = g.FirstOrDefault(h => h.Head.Period == period);
                return own.Head is not null
                    ? new Contribution(g.Key, own.Kind, [own.Head], false)
                    : new Contribution(g.Key, g.First().Kind, [.. g.Select(h => h.Head).OrderBy(h => h.Period, StringComparer.Ordinal)], true);
            }),
    ];
}
