namespace DistrictSim.Model;

/// <summary>One numeric input of a district, under its stable key (for example <c>parking.occupancy</c>).</summary>
/// <param name="Key">owner.field: the owner is a stream, funding source or cost name, or capex / timeline.</param>
/// <param name="AllowsProcess">True for yearly fields (growth, inflation, rates) that accept a process.</param>
public sealed record CatalogEntry(string Key, Input Input, bool AllowsProcess);

/// <summary>
/// Lists every numeric input of a district under its key. Keys name inputs in correlations, in
/// per-path output and across scenarios (common random numbers): the same key draws the same numbers.
/// </summary>
public static class InputCatalog
{
    public static IReadOnlyList<CatalogEntry> Enumerate(District district)
    {
        var entries = new List<CatalogEntry>();
        void Scalar(string owner, string field, Input? input)
        {
            if (input is not null) entries.Add(new CatalogEntry(owner + "." + field, input, false));
        }
        void Yearly(string owner, string field, Input? input)
        {
            if (input is not null) entries.Add(new CatalogEntry(owner + "." + field, input, true));
        }

        Scalar("timeline", "delay_years", district.Timeline.DelayYears);
        Scalar("capex", "overrun", district.Capex.Overrun);
        foreach (var component in district.Capex.Components)
        {
            Scalar("capex." + component.Name, "amount_yuan", component.AmountYuan);
        }

        foreach (var source in district.Funding)
        {
            Scalar(source.Name, "yuan", source.Amount.Yuan);
            Scalar(source.Name, "share", source.Amount.Share);
            switch (source)
            {
                case SpecialBond bond:
                    Scalar(bond.Name, "coupon", bond.Coupon);
                    break;
                case Loan loan:
                    Yearly(loan.Name, "base_rate", loan.BaseRate);
                    Yearly(loan.Name, "spread", loan.Spread);
                    break;
            }
        }

        foreach (var stream in district.Revenues)
        {
            var n = stream.Name;
            switch (stream)
            {
                case Parking p:
                    Scalar(n, "spaces", p.Spaces);
                    Scalar(n, "occupancy", p.Occupancy);
                    Scalar(n, "fee_yuan_per_space_per_month", p.FeeYuanPerSpacePerMonth);
                    Scalar(n, "fee_yuan_per_hour", p.FeeYuanPerHour);
                    Scalar(n, "hours_per_day", p.HoursPerDay);
                    break;
                case CommercialLease c:
                    Scalar(n, "area_m2", c.AreaM2);
                    Scalar(n, "rent", c.Rent);
                    Scalar(n, "occupancy", c.Occupancy);
                    break;
                case EvCharging e:
                    Scalar(n, "chargers", e.Chargers);
                    Scalar(n, "power_kw", e.PowerKw);
                    Scalar(n, "utilisation", e.Utilisation);
                    Scalar(n, "fee_yuan_per_kwh", e.FeeYuanPerKwh);
                    break;
                case PropertyFee f:
                    Scalar(n, "households", f.Households);
                    Scalar(n, "m2_per_household", f.M2PerHousehold);
                    Scalar(n, "fee_yuan_per_m2_per_month", f.FeeYuanPerM2PerMonth);
                    Scalar(n, "collection_rate", f.CollectionRate);
                    break;
                case OpsContract o:
                    Scalar(n, "annual_yuan", o.AnnualYuan);
                    Scalar(n, "default_year", new Input(new YearlyEvent(o.DefaultProbability)));
                    Scalar(n, "relet_factor", o.ReletFactor);
                    Yearly(n, "relet_growth", o.ReletGrowth);
                    break;
                case AssetRent a:
                    Scalar(n, "annual_yuan", a.AnnualYuan);
                    Scalar(n, "occupancy", a.Occupancy);
                    break;
                case GenericStream g:
                    Scalar(n, "driver", g.Driver);
                    Scalar(n, "price_yuan_per_unit", g.PriceYuanPerUnit);
                    break;
            }
            Yearly(n, "growth", stream.Growth);
        }

        foreach (var cost in district.Costs.Fixed)
        {
            Scalar(cost.Name, "annual_yuan", cost.AnnualYuan);
            Yearly(cost.Name, "inflation", cost.Inflation);
        }
        foreach (var cost in district.Costs.Variable)
        {
            Scalar(cost.Name, "share_of_revenue", cost.ShareOfRevenue);
        }
        foreach (var repair in district.Costs.MajorRepairs)
        {
            Scalar(repair.Name, "amount_yuan", repair.AmountYuan);
            Yearly(repair.Name, "inflation", repair.Inflation);
        }
        return entries;
    }
}
