// SPDX-License-Identifier: GPL-2.0
/* sim_world: the simulated machine with the driver probed on it (world.h) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/workqueue.h>

#include "world.h"

/* Master @i's stream ID */
static u32 sim_world_sid(const struct sim_world_config *cfg, unsigned int i)
{
	if (cfg->sids)
		return cfg->sids[i];
	return cfg->first_sid + i * (cfg->sid_stride ?: 1);
}

unsigned int sim_world_master_smmu(const struct sim_world_config *cfg,
				   unsigned int i)
{
	unsigned int n = cfg->num_smmus ?: 1;

	return (cfg->masters_per_domain ? i / cfg->masters_per_domain : i) % n;
}

int sim_world_oracle(struct sim_world *w, unsigned int pages,
		     struct sim_oracle **out)
{
	struct sim_oracle *o = NULL;
	unsigned int i, j, num_sids = 0;
	int ret;

	for (i = 0; i < w->num_masters; i++)
		for (j = 0; j < w->masters[i].master->num_streams; j++)
			num_sids = max(num_sids,
				       w->masters[i].master->streams[j].id + 1);
	ret = sim_oracle_create(num_sids, w->num_domains, pages, &o);
	for (i = 0; !ret && i < w->num_smmus; i++)
		ret = sim_oracle_set_smmu(o, i, w->hw[i]);
	for (i = 0; !ret && i < w->num_masters; i++) {
		struct arm_smmu_master *master = w->masters[i].master;

		for (j = 0; !ret && j < master->num_streams; j++)
			ret = sim_oracle_set_stream(o, master->streams[j].id,
						    master->smmu - w->smmu);
	}
	for (i = 0; !ret && i < w->num_domains; i++) {
		struct arm_smmu_domain *d = w->domains[i];
		bool s2 = d->stage == ARM_SMMU_DOMAIN_S2;

		ret = sim_oracle_set_domain(o, i, s2, s2 ? d->vmid : d->asid,
					    d->smmu - w->smmu);
		if (!ret)
			sim_oracle_map(o, i, 0, pages);
	}
	if (ret) {
		sim_oracle_destroy(o);
		return ret;
	}
	*out = o;
	return 0;
}

void sim_world_stats(struct sim_world *w, struct sim_world_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < w->num_smmus; i++) {
		struct sim_smmu_stats s;

		sim_smmu_stats(w->hw[i], &s);
		st->hw.cmds += s.cmds;
		st->hw.syncs += s.syncs;
		st->hw.atc_invs += s.atc_invs;
		st->hw.atc_timeouts += s.atc_timeouts;
		st->hw.errors += s.errors;
		st->hw.illegal += s.illegal;
		st->hw.illegal_injected += s.illegal_injected;
		st->hw.illegal_storms += s.illegal_storms;
		st->hw.bad_msis += s.bad_msis;
		st->hw.ste_fetches += s.ste_fetches;
		st->hw.torn_stes += s.torn_stes;
		st->atc_isolations +=
			atomic_long_read(&w->smmu[i].atc_isolations);
		st->atc_isolation_tests +=
			atomic_long_read(&w->smmu[i].atc_isolation_tests);
	}
}

static int sim_world_add_master(struct sim_world *w,
				const struct sim_world_config *cfg,
				unsigned int i)
{
	struct sim_world_master *m = &w->masters[i];
	unsigned int s = sim_world_master_smmu(cfg, i);
	u32 sid = sim_world_sid(cfg, i);
	bool ats = !cfg->no_ats &&
		   !(cfg->masters_per_domain &&
		     i % cfg->masters_per_domain < cfg->no_ats_per_domain);
	int ret;

	if (cfg->devices) {
		sim_dev_init(&m->sdev, sid, cfg->dev_latency_ns);
		if (cfg->masters_per_domain &&
		    i % cfg->masters_per_domain >=
			    cfg->masters_per_domain - cfg->pasid_per_domain)
			m->sdev.ssid = i + 1;
		ret = cfg->atc_pages ?
			      sim_dev_atc_alloc(&m->sdev, cfg->atc_pages) :
			      0;
		if (!ret)
			ret = sim_smmu_add_dev(w->hw[s], &m->sdev);
		if (ret)
			return ret;
		snprintf(m->name, sizeof(m->name), "0000:00:%02x.%u",
			 (i / 8) & 0xff, i % 8);
		m->pdev.dev.init_name = m->name;
		m->pdev.ats_cap = ats;
	}
	m->master = arm_smmu_probe_master(&w->smmu[s], &sid, 1, ats);
	if (IS_ERR(m->master)) {
		ret = PTR_ERR(m->master);
		m->master = NULL;
		return ret;
	}
	if (!cfg->devices)
		return 0;
	arm_smmu_master_set_dev(m->master, &m->pdev.dev);
	ret = iommu_probe_device(&m->pdev.dev, &arm_smmu_ops, m->master);
	if (ret)
		return ret;
	m->probed = true;
	if (!cfg->masters_per_domain)
		return 0;
	return sim_world_attach(w, i, w->domains[i / cfg->masters_per_domain]);
}

int sim_world_attach(struct sim_world *w, unsigned int i,
		     struct arm_smmu_domain *domain)
{
	return sim_world_attach_at(w, i, domain,
				   __atomic_load_n(&w->masters[i].sdev.ssid,
						   __ATOMIC_RELAXED));
}

int sim_world_attach_at(struct sim_world *w, unsigned int i,
			struct arm_smmu_domain *domain, u32 ssid)
{
	struct sim_world_master *m = &w->masters[i];

	if (ssid == IOMMU_NO_PASID)
		return iommu_attach_device(&domain->domain, &m->pdev.dev);
	return iommu_attach_device_pasid(&domain->domain, &m->pdev.dev, ssid);
}

static unsigned int sim_world_num_sids(const struct sim_world_config *cfg)
{
	if (cfg->num_sids || !cfg->num_masters)
		return cfg->num_sids;
	return sim_world_sid(cfg, cfg->num_masters - 1) + 1;
}

static int sim_world_check(const struct sim_world_config *cfg)
{
	unsigned int num_sids = sim_world_num_sids(cfg);

	if (cfg->num_smmus > SIM_WORLD_MAX_SMMUS || !num_sids ||
	    (cfg->num_masters &&
	     sim_world_sid(cfg, cfg->num_masters - 1) >= num_sids) ||
	    cfg->num_domains > U16_MAX)
		return -EINVAL;
	if (cfg->masters_per_domain &&
	    (!cfg->devices ||
	     cfg->num_masters > cfg->num_domains * cfg->masters_per_domain))
		return -EINVAL;
	if (cfg->pasid_per_domain &&
	    (cfg->pasid_per_domain > cfg->masters_per_domain ||
	     cfg->s2_nest_parent))
		return -EINVAL;
	return 0;
}

int sim_world_create(struct sim_world *w, const struct sim_world_config *cfg)
{
	unsigned int num_sids = sim_world_num_sids(cfg);
	unsigned int i;
	int ret;

	memset(w, 0, sizeof(*w));
	ret = sim_world_check(cfg);
	if (ret)
		return ret;
	w->devices = cfg->devices;
	w->domains = calloc(cfg->num_domains ?: 1, sizeof(*w->domains));
	w->masters = calloc(cfg->num_masters ?: 1, sizeof(*w->masters));
	if (!w->domains || !w->masters) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < (cfg->num_smmus ?: 1); i++) {
		if (cfg->isolate_ops)
			w->smmu[i].atc_isolate_ops = cfg->isolate_ops;
		ret = sim_smmu_probe(&cfg->hw, num_sids, &w->smmu[i],
				     &w->hw[i]);
		if (ret)
			goto err;
		w->num_smmus++;
	}
	for (i = 0; i < cfg->num_domains; i++) {
		bool s2 = cfg->s2_nest_parent || (cfg->mixed_stages && i % 2);

		w->domains[i] = arm_smmu_domain_alloc(
			&w->smmu[i % w->num_smmus],
			s2 ? ARM_SMMU_DOMAIN_S2 : ARM_SMMU_DOMAIN_S1, i + 1,
			s2);
		if (IS_ERR(w->domains[i])) {
			ret = PTR_ERR(w->domains[i]);
			w->domains[i] = NULL;
			goto err;
		}
		w->num_domains++;
	}
	for (i = 0; i < cfg->num_masters; i++) {
		w->num_masters++;
		ret = sim_world_add_master(w, cfg, i);
		if (ret)
			goto err;
	}
	return 0;
err:
	sim_world_destroy(w);
	return ret;
}

void sim_world_destroy(struct sim_world *w)
{
	unsigned int i;

	flush_scheduled_work();
	for (i = 0; i < w->num_masters; i++) {
		struct sim_world_master *m = &w->masters[i];

		if (m->probed)
			iommu_release_device(&m->pdev.dev);
		if (m->master)
			arm_smmu_release_master(m->master);
		if (w->devices)
			sim_dev_atc_free(&m->sdev);
	}
	for (i = 0; i < w->num_domains; i++)
		arm_smmu_domain_free(w->domains[i]);
	for (i = 0; i < w->num_smmus; i++)
		sim_smmu_remove(&w->smmu[i], w->hw[i]);
	free(w->domains);
	free(w->masters);
	memset(w, 0, sizeof(*w));
}
