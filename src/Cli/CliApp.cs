namespace DistrictSim.Cli;

/// <summary>Entry point; commands are wired in as the engine lands.</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("districtsim: commands are being wired in; see README.md");
        return args.Length == 0 ? 2 : 2;
    }
}
