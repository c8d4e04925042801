using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CivicGrid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class RegistryTagsAndSpecialRegisters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_special_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "date", nullable: true),
                    RiskLevel = table.Column<int>(type: "integer", nullable: false),
                    ResponsiblePerson = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    NotesCipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    GridCode = table.Column<string>(type: "character varying(18)", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_special_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_tags",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Group = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SortOrder = table.Column<int>(type: "integer", nullable: false),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_tags", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "registry_tags",
                columns: new[] { "Name", "Active", "Group", "SortOrder", "UpdatedBy" },
                values: new object[,]
                {
                    { "低保", true, "社会救助", 90, null },
                    { "低收入", true, "社会救助", 110, null },
                    { "党员", true, "其他", 170, null },
                    { "军烈属", true, "优抚对象", 130, null },
                    { "困难户", true, "关爱对象", 50, null },
                    { "失独家庭", true, "关爱对象", 60, null },
                    { "志愿者", true, "其他", 180, null },
                    { "服务型", true, "居民类型", 150, null },
                    { "楼栋长", true, "其他", 190, null },
                    { "残疾人", true, "关爱对象", 70, null },
                    { "特困供养", true, "社会救助", 100, null },
                    { "独居老人", true, "关爱对象", 10, null },
                    { "留守儿童", true, "关爱对象", 40, null },
                    { "留守老人", true, "关爱对象", 30, null },
                    { "空巢老人", true, "关爱对象", 20, null },
                    { "管理型", true, "居民类型", 160, null },
                    { "资源型", true, "居民类型", 140, null },
                    { "退役军人", true, "优抚对象", 120, null },
                    { "重病患者", true, "关爱对象", 80, null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_special_entries_GridCode_Kind",
                table: "registry_special_entries",
                columns: new[] { "GridCode", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_special_entries_PersonId",
                table: "registry_special_entries",
                column: "PersonId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_special_entries");

            migrationBuilder.DropTable(
                name: "registry_tags");
        }
    }
}
