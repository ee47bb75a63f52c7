namespace Disclosure.Storage.Sqlite;

/// <summary>
/// A table's non-blank cells in table order: codes and values (hundredths) side by side, so that a head kept by the
/// writer holds one array of numbers and shares the codes of the head it replaced when they are the same (a kept head
/// lives long enough to reach the oldest generation of the garbage collector; kept as pairs with their own code strings
/// they made it collect that generation about once a second under load).
/// </summary>
internal sealed class SqliteCells(string[] codes, long[] hundredths)
{
    public static readonly SqliteCells Empty = new([], []);

    public string[] Codes { get; } = codes.Length == hundredths.Length ? codes : throw new ArgumentException("One value per code.", nameof(hundredths));
    public long[] Hundredths { get; } = hundredths;
    public int Count => Codes.Length;

    public bool SameCodes(SqliteCells other)
    {
        if (ReferenceEquals(Codes, other.Codes)) return true;
        if (Count != other.Count) return false;
        for (var i = 0; i < Count; i++)
            if (!string.Equals(Codes[i], other.Codes[i], StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>
    /// These values with <paramref name="previous"/>'s codes when they are the same codes, so that only one copy is kept.
    /// The kept array then takes these codes' string instances in place of its equal ones: a head read from the file has
    /// strings of its own, a table from a request the catalogue's, and every later table from a request is then told
    /// equal by reference, not character by character, on the writer thread. Only the writer reads the arrays of its heads.
    /// </summary>
    public SqliteCells SharingCodesWith(SqliteCells previous)
    {
        if (ReferenceEquals(Codes, previous.Codes) || previous.Count == 0 || !SameCodes(previous)) return this;
        for (var i = 0; i < Count; i++)
            if (!ReferenceEquals(previous.Codes[i], Codes[i])) previous.Codes[i] = Codes[i];
        return new SqliteCells(previous.Codes, Hundredths);
    }
}
